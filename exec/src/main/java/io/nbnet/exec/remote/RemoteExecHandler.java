package io.nbnet.exec.remote;

import io.nbnet.exec.CommandRefusedException;
import io.nbnet.exec.CommandRequest;
import io.nbnet.exec.ExecClient;
import io.nbnet.wire.ErrorKind;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.FrameHandler;
import io.nbnet.wire.Replies;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * Remote exec on a frame port: a payload {@code EX1\n<json request>} runs an allowed command through
 * the exec service and is answered with one frame, {@code OK <json result>}; anything not allowed
 * gets {@code ERR refused: ...} (logged with the peer by the frame server). Every other payload goes
 * to the wrapped handler. See docs/remote-exec.md.
 */
public final class RemoteExecHandler implements FrameHandler {

  public static final String MAGIC = "EX1\n";

  private final FrameHandler next;
  private final ExecPolicy policy;
  private final ExecClient exec;
  private final long timeoutMillis;
  private final int maxOutputBytes;

  public RemoteExecHandler(FrameHandler next, ExecPolicy policy, ExecClient exec, long timeoutMillis, int maxOutputBytes) {
    this.next = next;
    this.policy = policy;
    this.exec = exec;
    this.timeoutMillis = timeoutMillis;
    this.maxOutputBytes = maxOutputBytes;
  }

  public static boolean isExecRequest(Buffer payload) {
    return payload.length() >= MAGIC.length() && payload.getString(0, MAGIC.length(), "US-ASCII").equals(MAGIC);
  }

  public static Buffer request(JsonObject request) {
    return Buffer.buffer(MAGIC + request.encode());
  }

  @Override
  public Future<Buffer> handle(Buffer payload) {
    if (!isExecRequest(payload)) {
      return next.handle(payload);
    }
    JsonObject json;
    CommandRequest request;
    try {
      json = new JsonObject(payload.getString(MAGIC.length(), payload.length(), StandardCharsets.UTF_8.name()));
      request = CommandRequest.fromJson(json, timeoutMillis, maxOutputBytes);
    } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
      return Future.failedFuture(FrameException.invalid("exec request: " + e.getMessage()));
    }
    String refusal = policy.refusal(request, json.getValue("token") instanceof String token ? token : null);
    if (refusal != null) {
      return Future.failedFuture(new FrameException(ErrorKind.REFUSED, refusal));
    }
    return exec.run(request)
      .map(result -> Replies.ok(result.toJson().encode()))
      .recover(failure -> Future.failedFuture(failure instanceof CommandRefusedException
        ? new FrameException(ErrorKind.REFUSED, failure.getMessage())
        : FrameException.unavailable("exec service: " + failure.getMessage(), failure)));
  }
}
