package io.nbnet.wire;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

import java.util.logging.Logger;

/**
 * A TCP server speaking the frame protocol: every connection gets a {@link FrameConnection} that
 * parses requests, hands them to the {@link FrameHandler} and writes replies in request order.
 */
public final class FrameServer {

  private static final Logger log = Logger.getLogger(FrameServer.class.getName());

  private final Vertx vertx;
  private final FrameServerOptions options;
  private final FrameHandler handler;
  private final String name;
  private final PendingLimit pending;
  private NetServer server;

  public FrameServer(Vertx vertx, String name, FrameServerOptions options, FrameHandler handler) {
    this.vertx = vertx;
    this.name = name;
    this.options = options;
    this.handler = handler;
    this.pending = new PendingLimit(options.maxPendingTotal());
  }

  public Future<FrameServer> listen() {
    NetServerOptions netOptions = new NetServerOptions()
      .setHost(options.host())
      .setPort(options.port())
      .setTcpNoDelay(true)
      .setReuseAddress(true);
    server = vertx.createNetServer(netOptions)
      .connectHandler(socket -> new FrameConnection(vertx, socket, options, handler, name, pending).start());
    return server.listen().map(s -> {
      log.info(() -> name + " listening on " + options.host() + ":" + s.actualPort());
      return this;
    });
  }

  /** The bound port; differs from the configured one when that was 0. */
  public int actualPort() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
