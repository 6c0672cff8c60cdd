package io.nbnet.bench.server;

import io.nbnet.protocol.FrameHandler;
import io.nbnet.protocol.FrameServer;
import io.nbnet.protocol.FrameServerOptions;
import io.nbnet.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;

/**
 * The QPS test server, wire-compatible with the old one: answers {@code a} to every request, the
 * payload itself in echo mode, or {@code OK} in ok mode (a saver stand-in that acknowledges everything,
 * for measuring trans). It is the same {@link FrameServer} trans and the saver run on.
 */
public class BenchServerVerticle extends VerticleBase {

  public enum Mode { A, ECHO, OK }

  private static final Buffer A = Buffer.buffer("a");
  private static final Future<Buffer> REPLY_A = Future.succeededFuture(A);
  private static final Future<Buffer> REPLY_OK = Future.succeededFuture(Replies.ok());

  private final FrameServerOptions options;
  private final Mode mode;
  private FrameServer server;

  public BenchServerVerticle(FrameServerOptions options, Mode mode) {
    this.options = options;
    this.mode = mode;
  }

  public static FrameHandler handler(Mode mode) {
    return switch (mode) {
      case A -> payload -> REPLY_A;
      case ECHO -> Future::succeededFuture;
      case OK -> payload -> REPLY_OK;
    };
  }

  @Override
  public Future<?> start() {
    server = new FrameServer(vertx, "bench-server", options, handler(mode));
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  public int actualPort() {
    return server.actualPort();
  }
}
