package io.nbnet.bench.server;

import io.nbnet.exec.remote.RemoteExec;
import io.nbnet.exec.remote.RemoteExecConfig;
import io.nbnet.support.config.ConfigView;
import io.nbnet.wire.FrameServer;
import io.nbnet.wire.FrameServerConfig;
import io.nbnet.wire.Replies;
import io.nbnet.wire.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The QPS test server, wire-compatible with the old one: answers {@code a} to every request, the
 * payload itself in echo mode, or {@code OK} in ok mode (a saver stand-in that acknowledges everything,
 * for measuring trans). It is the same {@link FrameServer} trans and the saver run on, and takes
 * remote exec requests when configured to.
 */
public class BenchServerVerticle extends VerticleBase {

  public enum Mode { A, ECHO, OK }

  private static final Buffer A = Buffer.buffer("a");
  private static final Future<Buffer> REPLY_A = Future.succeededFuture(A);
  private static final Future<Buffer> REPLY_OK = Future.succeededFuture(Replies.ok());

  private final FrameServerConfig options;
  private final Mode mode;
  private final JsonObject exec;
  private FrameServer server;

  /**
   * @param exec an {@code exec} section as trans takes it ({@code enabled}, {@code allow}, limits);
   *             empty to refuse remote exec
   */
  public BenchServerVerticle(FrameServerConfig options, Mode mode, JsonObject exec) {
    this.options = options;
    this.mode = mode;
    this.exec = exec;
  }

  public static RequestHandler handler(Mode mode) {
    return switch (mode) {
      case A -> (payload, peer) -> REPLY_A;
      case ECHO -> (payload, peer) -> Future.succeededFuture(payload);
      case OK -> (payload, peer) -> REPLY_OK;
    };
  }

  @Override
  public Future<?> start() {
    RemoteExecConfig execConfig = ConfigView.parse(exec, "exec",
      view -> RemoteExecConfig.from(view, "bench-server", "nbnet.exec.bench-server." + deploymentID()));
    return RemoteExec.wrap(vertx, execConfig, handler(mode))
      .compose(handler -> {
        server = new FrameServer(vertx, "bench-server", options, handler);
        return server.listen();
      });
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  public int actualPort() {
    return server.actualPort();
  }
}
