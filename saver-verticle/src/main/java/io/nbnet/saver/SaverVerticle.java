package io.nbnet.saver;

import io.nbnet.support.config.ConfigDiff;
import io.nbnet.support.config.ConfigChanges;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.metrics.HealthChecks;
import io.nbnet.wire.FrameServer;
import io.nbnet.saver.legacy.LegacyWriter;
import io.nbnet.saver.mysql.DatabaseHealth;
import io.nbnet.saver.mysql.MySqlPools;
import io.nbnet.saver.mysql.SchemaCreator;
import io.nbnet.saver.retention.RetentionManager;
import io.nbnet.saver.samples.SampleWriter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.time.Clock;
import java.util.logging.Logger;

/** Accepts frames on the saver port and stores them in MySQL; its config is the {@code saver} section. */
public class SaverVerticle extends VerticleBase {

  private static final Logger log = Logger.getLogger(SaverVerticle.class.getName());

  private Pool pool;
  private SchemaCreator schema;
  private RetentionManager retention;
  private DatabaseHealth health;
  private EventBusIngest eventBus;
  private SampleWriter samples;
  private SaverConfig running;
  private JsonObject section;
  private FrameServer server;

  @Override
  public Future<?> start() {
    SaverConfig config = ConfigView.parse(config(), "saver", SaverConfig::from);
    pool = MySqlPools.pool(vertx, config.mysql(), true, config.mysql().poolSize());
    schema = new SchemaCreator(vertx, config.mysql(), config.shards(), pool);
    retention = new RetentionManager(vertx, pool, config.shards().tables(), config.retention(), Clock.systemUTC());
    health = new DatabaseHealth(vertx, pool);
    samples = new SampleWriter(vertx, pool, config.shards(), config.batching());
    running = config;
    section = config().copy();
    IngestHandler ingest = new IngestHandler(schema, health,
      samples,
      new LegacyWriter(pool));
    server = new FrameServer(vertx, "saver", config.server(), ingest);
    schema.onReady(retention::start);
    HealthChecks.register("mysql", () -> schema.isReady() && health.isUp());
    vertx.eventBus().<JsonObject>localConsumer(ConfigChanges.ADDRESS, change -> onConfigChanged(change.body()));
    return schema.createNowOrLater()
      .compose(v -> server.listen())
      .compose(v -> config.eventBusAddress().isEmpty() ? Future.succeededFuture()
        : EventBusIngest.register(vertx, config.eventBusAddress().get(), ingest).onSuccess(registered -> eventBus = registered));
  }

  @Override
  public Future<?> stop() {
    HealthChecks.unregister("mysql");
    if (eventBus != null) {
      eventBus.unregister();
    }
    schema.stop();
    retention.stop();
    health.stop();
    return server.close().eventually(pool::close);
  }

  /** Batching changes at once; anything else is logged as needing a restart. */
  private void onConfigChanged(JsonObject all) {
    JsonObject nextSection = all.getJsonObject("saver", new JsonObject());
    SaverConfig next = ConfigView.parse(nextSection, "saver", SaverConfig::from);
    if (!next.batching().equals(running.batching())) {
      samples.settings(next.batching());
      log.info("saver batching is now " + next.batching());
    }
    ConfigDiff.warnIfRestartNeeded(log, "saver", section, nextSection, !next.withBatching(running.batching()).equals(running));
    section = nextSection;
    running = running.withBatching(next.batching());
  }

  /** The port the saver listens on (useful when configured with port 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
