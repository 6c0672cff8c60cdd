package io.nbnet.exec.remote;

import io.nbnet.exec.CommandRefusedException;
import io.nbnet.exec.CommandRequest;
import io.nbnet.exec.ExecClient;
import io.nbnet.exec.metrics.ExecMeters;
import io.nbnet.wire.ErrorKind;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.Peer;
import io.nbnet.wire.Replies;
import io.nbnet.wire.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Remote exec on a frame port: a payload {@code EX1\n<json request>} runs an allowed command through
 * the exec service and is answered with one frame, {@code OK <json result>}; anything not allowed
 * gets {@code ERR refused: ...}, counted by reason. Every command that ran is written to the audit log
 * as one line (peer, argv as JSON, exit code, duration). Every other payload goes to the wrapped
 * handler. See docs/remote-exec.md.
 */
public final class RemoteExecHandler implements RequestHandler {

  public static final String MAGIC = "EX1\n";

  private static final Logger audit = Logger.getLogger("io.nbnet.exec.audit");

  private final RequestHandler next;
  private final RemoteExecConfig config;
  private final TokenGuard tokens;
  private final ExecClient exec;

  RemoteExecHandler(RequestHandler next, RemoteExecConfig config, ExecClient exec) {
    this.next = next;
    this.config = config;
    this.exec = exec;
    RemoteExecConfig.Lockout lockout = config.lockout();
    this.tokens = new TokenGuard(config.token(), lockout.maxWrongTokens(), lockout.windowMillis(), lockout.lockoutMillis(),
      System::currentTimeMillis);
  }

  public static boolean isExecRequest(Buffer payload) {
    return payload.length() >= MAGIC.length() && payload.getString(0, MAGIC.length(), "US-ASCII").equals(MAGIC);
  }

  public static Buffer request(JsonObject request) {
    return Buffer.buffer(MAGIC + request.encode());
  }

  @Override
  public Future<Buffer> handle(Buffer payload, Peer peer) {
    if (!isExecRequest(payload)) {
      return next.handle(payload, peer);
    }
    if (!config.enabled()) {
      return refuse("not_enabled", "exec is not enabled on this server");
    }
    RemoteRequest request;
    try {
      JsonObject json = new JsonObject(payload.getString(MAGIC.length(), payload.length(), StandardCharsets.UTF_8.name()));
      request = RemoteRequest.parse(json, config.limits().timeoutMillis(), config.limits().maxOutputBytes());
    } catch (RemoteRequest.NotAllowedKeyException e) {
      return refuse("not_allowed", e.getMessage());
    } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
      return Future.failedFuture(FrameException.invalid("exec request: " + e.getMessage()));
    }
    switch (tokens.check(peer.host(), request.token())) {
      case LOCKED -> {
        return refuseAndClose("locked_out", "too many wrong tokens from " + peer.host() + "; refused for another "
          + tokens.lockedForMillis(peer.host()) / 1000 + " s");
      }
      case LOCKED_NOW -> {
        return refuseAndClose("locked_out", "too many wrong tokens from " + peer.host() + "; refused for "
          + config.lockout().lockoutMillis() / 1000 + " s");
      }
      case WRONG -> {
        return refuse("wrong_token", "missing or wrong token");
      }
      case ACCEPTED -> {
        // go on
      }
    }
    Optional<CommandRequest> command = config.allow().match(request.argv(), request.shell(), request.timeoutMillis(),
      request.maxOutputBytes());
    if (command.isEmpty()) {
      return refuse("not_allowed", request.shell() ? "this shell command line is not allowed"
        : "command not allowed: " + new JsonArray(request.argv()).encode());
    }
    return run(command.get(), peer);
  }

  private Future<Buffer> run(CommandRequest command, Peer peer) {
    return exec.run(command)
      .onSuccess(result -> audit.info(() -> "exec peer=" + peer.address() + " argv=" + new JsonArray(command.commandLine()).encode()
        + " exit=" + result.exitCode() + " durationMs=" + result.durationMillis() + " timedOut=" + result.timedOut()
        + (result.error() == null ? "" : " error=" + new JsonArray().add(result.error()).encode())))
      .map(result -> Replies.ok(result.toJson().encode()))
      .recover(failure -> failure instanceof CommandRefusedException
        ? refuse("busy", failure.getMessage())
        : Future.failedFuture(FrameException.unavailable("exec service: " + failure.getMessage(), failure)));
  }

  private Future<Buffer> refuse(String reason, String message) {
    count(reason);
    return Future.failedFuture(new FrameException(ErrorKind.REFUSED, message));
  }

  private Future<Buffer> refuseAndClose(String reason, String message) {
    count(reason);
    return Future.failedFuture(FrameException.refusedAndClosed(message));
  }

  private void count(String reason) {
    ExecMeters.refusals(config.limits().name(), reason).increment();
  }
}
