package io.nbnet.saver;

import io.nbnet.saver.compaction.Compactor;
import io.nbnet.formats.FrameHosts;
import io.nbnet.saver.http.ApiServer;
import io.nbnet.saver.legacy.LegacyWriter;
import io.nbnet.saver.mysql.DatabaseHealth;
import io.nbnet.saver.mysql.MySqlPools;
import io.nbnet.saver.retention.RetentionManager;
import io.nbnet.saver.liveness.LivenessMonitor;
import io.nbnet.saver.migration.LegacyMigration;
import io.nbnet.saver.schema.SchemaCreator;
import io.nbnet.saver.series.HostActivity;
import io.nbnet.saver.series.SeriesIds;
import io.nbnet.saver.staging.StagingWriter;
import io.nbnet.support.config.ConfigChanges;
import io.nbnet.support.config.ConfigDiff;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.metrics.HealthChecks;
import io.nbnet.support.metrics.NbnetMeters;
import io.nbnet.wire.FrameServer;
import io.nbnet.wire.tls.HostIdentityHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.time.Clock;
import java.util.logging.Logger;

/**
 * Accepts frames on the saver port and stores them in MySQL; its config is the {@code saver} section.
 * Samples go to the staging table on the ingest pool; compaction and retention work on a pool of
 * their own, so they never take the connections replies wait for.
 */
public class SaverVerticle extends VerticleBase {

  private static final Logger log = Logger.getLogger(SaverVerticle.class.getName());
  /** The compaction and liveness locks' connections, the compaction's reads and writes, retention and the liveness check. */
  private static final int MAINTENANCE_CONNECTIONS = 5;
  private static final long HOST_ACTIVITY_FLUSH_MILLIS = 2_000;

  private Pool pool;
  private Pool maintenancePool;
  private SchemaCreator schema;
  private RetentionManager retention;
  private Compactor compactor;
  private LivenessMonitor liveness;
  private DatabaseHealth health;
  private HostActivity activity;
  private EventBusIngest eventBus;
  private StagingWriter staging;
  private SaverConfig running;
  private JsonObject section;
  private FrameServer server;
  private Pool apiPool;
  private ApiServer api;

  @Override
  public Future<?> start() {
    SaverConfig config = ConfigView.parse(config(), "saver", SaverConfig::from);
    config.deprecations().forEach(log::warning);
    pool = MySqlPools.pool(vertx, config.mysql(), true, config.mysql().poolSize(), "nbnet-saver");
    maintenancePool = MySqlPools.pool(vertx, config.mysql(), true, MAINTENANCE_CONNECTIONS, "nbnet-maintenance");
    schema = new SchemaCreator(vertx, config.mysql(), config.layout(), pool);
    retention = new RetentionManager(vertx, maintenancePool, config.layout(), config.retention(), Clock.systemUTC());
    compactor = new Compactor(vertx, maintenancePool, config.layout(), config.compaction(), config.retention());
    liveness = new LivenessMonitor(vertx, maintenancePool, config.layout(), config.liveness(), HOST_ACTIVITY_FLUSH_MILLIS);
    health = new DatabaseHealth(vertx, pool);
    activity = new HostActivity(vertx, pool, config.layout(), HOST_ACTIVITY_FLUSH_MILLIS);
    SeriesIds ids = new SeriesIds(pool, config.layout(), config.maxCachedSeries());
    NbnetMeters.gauge("nbnet.saver.series.cached", "series ids held in memory", ids::cachedSeries);
    staging = new StagingWriter(vertx, pool, config.layout(), config.batching());
    running = config;
    section = config().copy();
    IngestHandler ingest = new IngestHandler(vertx, schema, health, new NativeIngest(ids, staging, activity), new LegacyWriter(pool));
    server = new FrameServer(vertx, "saver", config.server(), HostIdentityHandler.wrap("saver", config.server().tls(), FrameHosts::of, ingest));
    if (config.http().enabled()) {
      apiPool = MySqlPools.pool(vertx, config.mysql(), true, config.http().maxQueries(), "nbnet-api");
      api = new ApiServer(vertx, config.http(), apiPool, config.layout(), config.retention());
    }
    schema.onReady(() -> {
      retention.start();
      compactor.start();
      liveness.start();
      LegacyMigration.pendingTables(pool, config.layout()).onSuccess(tables -> {
        if (!tables.isEmpty()) {
          log.warning("nbnet 1 sample tables " + tables + " are still in " + config.mysql().database() + ": their samples show in the"
            + " views once ./nbnet migrate has moved them");
        }
      });
    });
    HealthChecks.register("mysql", () -> schema.isReady() && health.isUp());
    vertx.eventBus().<JsonObject>localConsumer(ConfigChanges.ADDRESS, change -> onConfigChanged(change.body()));
    return schema.createNowOrLater()
      .compose(v -> server.listen())
      .compose(v -> api == null ? Future.succeededFuture() : api.listen())
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
    activity.stop();
    return server.close()
      .eventually(() -> api == null ? Future.succeededFuture() : api.close().eventually(apiPool::close))
      .eventually(compactor::stop)
      .eventually(liveness::stop)
      .eventually(maintenancePool::close)
      .eventually(pool::close);
  }

  /** Batching changes at once; anything else is logged as needing a restart. */
  private void onConfigChanged(JsonObject all) {
    JsonObject nextSection = all.getJsonObject("saver", new JsonObject());
    SaverConfig next = ConfigView.parse(nextSection, "saver", SaverConfig::from);
    if (!next.batching().equals(running.batching())) {
      staging.settings(next.batching());
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

  /** The port of the dashboard and query API; -1 when they are off. */
  public int apiPort() {
    return api == null ? -1 : api.actualPort();
  }
}
