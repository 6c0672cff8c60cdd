package io.nbnet.launcher;

import io.nbnet.support.config.ConfigChanges;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.VerticleBase;

import java.nio.file.Path;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The main verticle: deploys the components the configuration names, each with its own section, and
 * when it knows the configuration file, watches it: a valid new version is published on
 * {@link ConfigChanges#ADDRESS} for the components to apply what they can without a restart.
 */
public class NbnetVerticle extends VerticleBase {

  private static final Logger log = Logger.getLogger(NbnetVerticle.class.getName());

  private final Path configFile;
  private NbnetConfig running;
  private ConfigReloader reloader;
  /** The config file as last read; null until the first scan. */
  private JsonObject fileContent;

  /** Without a file: the configuration given at deployment is the only one. */
  public NbnetVerticle() {
    this(null);
  }

  public NbnetVerticle(Path configFile) {
    this.configFile = configFile;
  }

  @Override
  public Future<?> start() {
    NbnetConfig config = NbnetConfig.parse(config());
    running = config;
    LogLevels.apply(config.logLevels());
    Future<String> chain = config.monitor()
      .map(monitor -> vertx.deployVerticle(new MonitorVerticle(monitor)))
      .orElse(Future.succeededFuture());
    for (Component component : config.components()) {
      chain = chain.compose(previous -> vertx.deployVerticle(component.verticle(),
          new DeploymentOptions().setConfig(config.section(component)))
        .onSuccess(id -> log.info(component.configName() + " started")));
    }
    return chain.onSuccess(id -> watchConfigFile(config));
  }

  @Override
  public Future<?> stop() {
    if (reloader != null) {
      reloader.stop();
    }
    return Future.succeededFuture();
  }

  private void watchConfigFile(NbnetConfig config) {
    if (configFile != null && config.reloadScanMillis() > 0) {
      reloader = new ConfigReloader(vertx, configFile, config.reloadScanMillis(), this::apply);
      reloader.start();
    }
  }

  private void apply(NbnetConfig next) {
    if (fileContent == null || next.json().equals(fileContent)) {
      // the first scan reads the file as the process started with it (a launcher such as the demo may
      // have filled in values the file does not hold): only later edits of the file count
      fileContent = next.json();
      return;
    }
    fileContent = next.json();
    log.info("the configuration file changed; applying it");
    LogLevels.apply(next.logLevels());
    if (!next.components().equals(running.components()) || !Objects.equals(next.monitor(), running.monitor())) {
      log.warning("the new configuration changes the components or the monitor section: that needs a restart");
    }
    running = next;
    vertx.eventBus().publish(ConfigChanges.ADDRESS, next.json());
  }
}
