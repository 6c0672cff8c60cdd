package io.nbnet.trans;

import io.nbnet.config.ConfigView;
import io.nbnet.protocol.FrameServer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClientOptions;

/** The relay: a frame server whose every request is forwarded to a saver. Config: the {@code trans} section. */
public class TransVerticle extends VerticleBase {

  private FrameServer server;
  private SaverFailover savers;

  @Override
  public Future<?> start() {
    TransConfig config = TransConfig.from(ConfigView.of(config(), "trans"));
    savers = new SaverFailover(vertx,
      vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5_000)), config);
    server = new FrameServer(vertx, "trans", config.server(), savers);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    savers.close();
    return server.close();
  }
}
