package io.nbnet.launcher;

import io.nbnet.collector.CollectorVerticle;
import io.nbnet.saver.SaverVerticle;
import io.nbnet.trans.TransVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The main verticle: deploys the components the configuration names, each with its own typed section,
 * and when it knows the configuration file, watches it: each component is handed its section of a valid
 * new version, to apply what it can without a restart.
 */
public class NbnetVerticle extends VerticleBase {

  private static final Logger log = Logger.getLogger(NbnetVerticle.class.getName());

  private final Optional<Path> configFile;
  private NbnetConfig running;
  private ConfigReloader reloader;
  private SaverVerticle saver;
  private TransVerticle trans;
  private CollectorVerticle collector;

  /** Without a file: the configuration given is the only one. */
  public NbnetVerticle(NbnetConfig config) {
    this(config, Optional.empty());
  }

  /** With the file {@code config} was read from, watched for changes. */
  public NbnetVerticle(NbnetConfig config, Path configFile) {
    this(config, Optional.of(configFile));
  }

  private NbnetVerticle(NbnetConfig config, Optional<Path> configFile) {
    this.running = config;
    this.configFile = configFile;
  }

  @Override
  public Future<?> start() {
    NbnetConfig config = running;
    LogLevels.apply(config.logLevels());
    Future<?> chain = config.monitor()
      .map(monitor -> vertx.deployVerticle(new MonitorVerticle(monitor)))
      .orElse(Future.succeededFuture());
    // downstream first, so nothing sends into a void
    if (config.saver().isPresent()) {
      saver = new SaverVerticle(config.saver().get());
      chain = chain.compose(v -> deploy(Component.SAVER, saver));
    }
    if (config.trans().isPresent()) {
      trans = new TransVerticle(config.trans().get());
      chain = chain.compose(v -> deploy(Component.TRANS, trans));
    }
    if (config.collector().isPresent()) {
      collector = new CollectorVerticle(config.collector().get());
      chain = chain.compose(v -> deploy(Component.COLLECTOR, collector));
    }
    return chain.onSuccess(v -> watchConfigFile(config));
  }

  private Future<String> deploy(Component component, Deployable verticle) {
    return vertx.deployVerticle(verticle).onSuccess(id -> log.info(component.configName() + " started"));
  }

  @Override
  public Future<?> stop() {
    if (reloader != null) {
      reloader.stop();
    }
    return Future.succeededFuture();
  }

  private void watchConfigFile(NbnetConfig config) {
    if (configFile.isPresent() && config.reloadScanMillis() > 0) {
      reloader = new ConfigReloader(vertx, configFile.get(), config.reloadScanMillis(), config, this::apply);
      reloader.start();
    }
  }

  private void apply(NbnetConfig next) {
    log.info("the configuration file changed; applying it");
    LogLevels.apply(next.logLevels());
    if (!next.components().equals(running.components()) || !Objects.equals(next.monitor(), running.monitor())) {
      log.warning("the new configuration changes the components or the monitor section: that needs a restart");
    }
    running = next;
    next.saver().filter(s -> saver != null).ifPresent(section -> saver.reconfigure(section));
    next.trans().filter(s -> trans != null).ifPresent(section -> trans.reconfigure(section));
    next.collector().filter(s -> collector != null).ifPresent(section -> collector.reconfigure(section));
  }
}
