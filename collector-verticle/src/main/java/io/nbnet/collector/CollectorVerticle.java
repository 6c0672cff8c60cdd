package io.nbnet.collector;

import io.micrometer.core.instrument.Counter;
import io.nbnet.buffer.Outbox;
import io.nbnet.collector.metrics.CollectorMeters;
import io.nbnet.collector.plugin.PluginConfig;
import io.nbnet.collector.plugin.PluginRunner;
import io.nbnet.collector.proc.HostSampler;
import io.nbnet.collector.proc.ProcFiles;
import io.nbnet.collector.push.PushServer;
import io.nbnet.collector.push.StatsdServer;
import io.nbnet.collector.ship.FrameShipper;
import io.nbnet.exec.ExecClient;
import io.nbnet.exec.ExecVerticle;
import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.support.config.ConfigDiff;
import io.nbnet.support.config.Section;
import io.nbnet.wire.EventBusLink;
import io.nbnet.wire.FrameClient;
import io.nbnet.wire.FrameLink;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Samples this host every interval and ships each sampling as one native frame; runs the configured
 * command plugins on its own exec service and ships their samples too. Reading /proc and running
 * commands happen on worker threads; the event loop only encodes and sends.
 */
public class CollectorVerticle extends VerticleBase {

  /** Local event-bus address where every sampling is announced: {@code {"host", "samples", "queued"}}. */
  public static final String SAMPLED_ADDRESS = "nbnet.collector.sampled";

  private static final Logger log = Logger.getLogger(CollectorVerticle.class.getName());

  private Section<CollectorConfig> section;
  private CollectorConfig config;
  private HostSampler sampler;
  private FrameShipper shipper;
  private final List<PluginRunner> plugins = new ArrayList<>();
  private long timer;
  private String execDeployment;
  private long sequence;
  private final Counter samplesCollected = CollectorMeters.samples();
  private PushServer push;
  private StatsdServer statsd;

  public CollectorVerticle(Section<CollectorConfig> section) {
    this.section = section;
    this.config = section.config();
  }

  private static NetClientOptions clientOptions() {
    return new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5_000);
  }

  @Override
  public Future<?> start() {
    sampler = new HostSampler(new ProcFiles(config.procRoot(), config.sysRoot()), config.host(), HostSampler.InodeSource.df(),
      config.disabledSources());
    FrameLink.Connector link = config.eventBus().isPresent()
      ? EventBusLink.connector(vertx, config.eventBus().get().address(), config.shipping().replyTimeoutMillis())
      : FrameClient.connector(vertx, vertx.createNetClient(config.tls().map(tls -> tls.applyTo(clientOptions())).orElseGet(CollectorVerticle::clientOptions)),
        config.target().host(), config.target().port(), config.shipping().maxFrameBytes(), config.shipping().replyTimeoutMillis());
    sequence = System.currentTimeMillis();
    log.info("collector for host " + config.host() + " samples every " + config.intervalMillis() + " ms, ships to "
      + (config.eventBus().isPresent() ? "the savers at " : config.viaTrans() ? "trans at " : "the saver at ") + link.describe()
      + (config.tls().isPresent() && config.eventBus().isEmpty() ? " over TLS" : ""));
    return Outbox.open(vertx, "frames for " + link.describe(), config.shipping().maxQueuedFrames(), config.spool())
      .onSuccess(buffer -> {
        shipper = new FrameShipper(vertx, link, config.shipping(), buffer);
        shipper.start();
      })
      // the first reading is the baseline for rates
      .compose(v -> vertx.executeBlocking(() -> sampler.sample(System.currentTimeMillis())))
      .onSuccess(this::shipSamples)
      .onSuccess(first -> timer = vertx.setPeriodic(config.intervalMillis(), id -> sampleAndShip()))
      .compose(first -> startPlugins())
      .compose(v -> startPush());
  }

  /**
   * A new version of the section, from any thread: the interval and the plugins change at once; anything
   * else is logged as needing a restart.
   */
  public void reconfigure(Section<CollectorConfig> nextSection) {
    context.runOnContext(v -> onConfigChanged(nextSection));
  }

  private void onConfigChanged(Section<CollectorConfig> nextSection) {
    CollectorConfig next = nextSection.config();
    if (next.intervalMillis() != config.intervalMillis()) {
      vertx.cancelTimer(timer);
      timer = vertx.setPeriodic(next.intervalMillis(), id -> sampleAndShip());
      log.info("collector now samples every " + next.intervalMillis() + " ms");
    }
    if (!next.plugins().equals(config.plugins())) {
      plugins.forEach(PluginRunner::stop);
      plugins.clear();
      Future<?> undeployed = execDeployment == null ? Future.succeededFuture() : vertx.undeploy(execDeployment);
      execDeployment = null;
      // config holds the new plugins by the time the old exec service is gone
      undeployed.onComplete(v -> startPlugins());
    }
    ConfigDiff.warnIfRestartNeeded(log, "collector", section, nextSection, CollectorConfig.HOT_KEYS);
    section = nextSection;
    config = config.withHotSettingsOf(next);
  }

  private Future<?> startPlugins() {
    if (config.plugins().isEmpty()) {
      return Future.succeededFuture();
    }
    String address = "nbnet.exec.collector." + deploymentID() + "." + System.nanoTime();
    return vertx.deployVerticle(new ExecVerticle(config.pluginExec(address))).onSuccess(id -> {
      execDeployment = id;
      ExecClient exec = new ExecClient(vertx, address);
      for (PluginConfig plugin : config.plugins()) {
        PluginRunner runner = new PluginRunner(vertx, plugin, exec, config.host(), samples -> shipper.ship(encode(samples)));
        plugins.add(runner);
        runner.start();
      }
      log.info("collector runs " + plugins.size() + " plugin(s): " + plugins.stream().map(PluginRunner::name).toList());
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    plugins.forEach(PluginRunner::stop);
    Future<Void> pushClosed = (push == null ? Future.<Void>succeededFuture() : push.close())
      .eventually(() -> statsd == null ? Future.succeededFuture() : statsd.close());
    return pushClosed.eventually(() -> shipper == null ? Future.succeededFuture() : shipper.stop());
  }

  /** The push endpoint, when enabled: pushed samples become frames of their own in the same buffer. */
  private Future<Void> startPush() {
    Future<Void> started = Future.succeededFuture();
    if (config.push().enabled()) {
      push = new PushServer(vertx, config.push(), config.host(), samples -> shipper.ship(encode(samples)));
      started = push.listen();
    }
    if (config.statsd().enabled()) {
      statsd = new StatsdServer(vertx, config.statsd(), config.host(), config.intervalMillis(), samples -> shipper.ship(encode(samples)));
      started = started.compose(v -> statsd.listen());
    }
    return started;
  }

  private void sampleAndShip() {
    vertx.executeBlocking(() -> sampler.sample(System.currentTimeMillis()))
      .onSuccess(this::shipSamples)
      .onFailure(error -> log.log(Level.WARNING, "sampling failed", error));
  }

  private Buffer encode(List<Sample> samples) {
    return NativeFormat.encode(config.sourceId(), sequence++, samples);
  }

  private void shipSamples(List<Sample> samples) {
    samplesCollected.increment(samples.size());
    shipper.ship(encode(samples));
    vertx.eventBus().publish(SAMPLED_ADDRESS, new JsonObject()
      .put("host", config.host())
      .put("samples", samples.size())
      .put("acknowledged", shipper.stats().acknowledged())
      .put("queued", shipper.buffer().stats().queued() + shipper.stats().inFlight()));
  }
}
