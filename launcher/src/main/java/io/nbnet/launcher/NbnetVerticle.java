package io.nbnet.launcher;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.logging.Logger;

/** The main verticle: deploys the components the configuration names, each with its own section. */
public class NbnetVerticle extends VerticleBase {

  private static final Logger log = Logger.getLogger(NbnetVerticle.class.getName());

  @Override
  public Future<?> start() {
    NbnetConfig config = NbnetConfig.parse(config());
    Future<String> chain = config.monitor() == null ? Future.succeededFuture()
      : vertx.deployVerticle(new MonitorVerticle(config.monitor().host(), config.monitor().port()));
    for (Component component : config.components()) {
      chain = chain.compose(previous -> vertx.deployVerticle(component.verticle(),
          new DeploymentOptions().setConfig(config.section(component)))
        .onSuccess(id -> log.info(component.configName() + " started")));
    }
    return chain;
  }
}
