package io.nbnet.trans;

import io.nbnet.config.ConfigView;
import io.nbnet.exec.remote.RemoteExec;
import io.nbnet.protocol.FrameServer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClientOptions;

/**
 * The relay: a frame server whose every request is forwarded to a saver, except remote exec requests
 * when the {@code exec} section enables them. Config: the {@code trans} section.
 */
public class TransVerticle extends VerticleBase {

  /** Where trans's own exec service listens, when remote exec is enabled. */
  static final String EXEC_ADDRESS = "nbnet.exec.trans";

  private FrameServer server;
  private SaverFailover savers;

  @Override
  public Future<?> start() {
    TransConfig config = TransConfig.from(ConfigView.of(config(), "trans"));
    savers = new SaverFailover(vertx,
      vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5_000)), config);
    return RemoteExec.wrap(vertx, config.exec(), EXEC_ADDRESS, savers)
      .compose(handler -> {
        server = new FrameServer(vertx, "trans", config.server(), handler);
        return server.listen();
      });
  }

  @Override
  public Future<?> stop() {
    savers.close();
    return server == null ? Future.succeededFuture() : server.close();
  }
}
