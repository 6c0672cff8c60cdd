package io.nbnet.saver;

import io.nbnet.saver.compaction.Compactor;
import io.nbnet.saver.legacy.LegacyWriter;
import io.nbnet.saver.liveness.LivenessMonitor;
import io.nbnet.saver.migration.LegacyMigration;
import io.nbnet.saver.mysql.DatabaseHealth;
import io.nbnet.saver.mysql.MySqlConfig;
import io.nbnet.saver.mysql.MySqlPools;
import io.nbnet.saver.retention.RetentionManager;
import io.nbnet.saver.schema.SchemaCreator;
import io.nbnet.saver.series.HostActivity;
import io.nbnet.saver.series.SeriesIds;
import io.nbnet.saver.staging.StagingWriter;
import io.nbnet.support.metrics.HealthChecks;
import io.nbnet.support.metrics.NbnetMeters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.time.Clock;
import java.util.logging.Logger;

/**
 * One database's storage: the ingest pool and staging, series ids, schema, and the maintenance that
 * runs on a pool of its own (compaction, retention, liveness), so it never takes the connections
 * replies wait for. A saver has one; in Kafka mode, one per shard.
 */
final class Storage {

  private static final Logger log = Logger.getLogger(Storage.class.getName());
  /** The compaction and liveness locks' connections, the compaction's reads and writes, retention and the liveness check. */
  private static final int MAINTENANCE_CONNECTIONS = 5;
  private static final long HOST_ACTIVITY_FLUSH_MILLIS = 2_000;

  /** The name of the saver's own database's storage. */
  static final String OWN = "mysql";

  private final String name;
  private final MySqlConfig mysql;
  private final Pool pool;
  private final Pool maintenancePool;
  private final SchemaCreator schema;
  private final RetentionManager retention;
  private final Compactor compactor;
  private final LivenessMonitor liveness;
  private final DatabaseHealth health;
  private final HostActivity activity;
  private final StagingWriter staging;
  private final IngestHandler ingest;

  /** @param name {@link #OWN} for the saver's own database, "shard-NAME" for a Kafka shard's (health checks, pool names, meters) */
  Storage(Vertx vertx, String name, SaverConfig config, MySqlConfig mysql) {
    this.name = name;
    this.mysql = mysql;
    String suffix = name.equals(OWN) ? "" : "-" + name;
    pool = MySqlPools.writePool(vertx, mysql, "nbnet-saver" + suffix);
    maintenancePool = MySqlPools.maintenancePool(vertx, mysql, MAINTENANCE_CONNECTIONS, "nbnet-maintenance" + suffix);
    schema = new SchemaCreator(vertx, mysql, config.layout(), pool);
    retention = new RetentionManager(vertx, maintenancePool, config.layout(), config.retention(), Clock.systemUTC());
    compactor = new Compactor(vertx, maintenancePool, config.layout(), config.compaction(), config.retention(), mysql.responseTimeoutMillis());
    liveness = new LivenessMonitor(vertx, maintenancePool, config.layout(), config.liveness(), HOST_ACTIVITY_FLUSH_MILLIS,
      mysql.responseTimeoutMillis());
    health = new DatabaseHealth(vertx, pool, mysql.responseTimeoutMillis());
    activity = new HostActivity(vertx, pool, config.layout(), HOST_ACTIVITY_FLUSH_MILLIS);
    SeriesIds ids = new SeriesIds(pool, config.layout(), config.maxCachedSeries());
    NbnetMeters.gauge("nbnet.saver.series.cached", "series ids held in memory", ids::cachedSeries, "storage", name);
    staging = new StagingWriter(vertx, pool, config.layout(), config.batching(), mysql.responseTimeoutMillis(), name);
    ingest = new IngestHandler(vertx, schema, health, new NativeIngest(ids, staging, activity), new LegacyWriter(pool, name));
    schema.onReady(() -> {
      retention.start();
      compactor.start();
      liveness.start();
      LegacyMigration.pendingTables(pool, config.layout()).onSuccess(tables -> {
        if (!tables.isEmpty()) {
          log.warning("nbnet 1 sample tables " + tables + " are still in " + mysql.database() + ": their samples show in the"
            + " views once ./nbnet migrate has moved them");
        }
      });
    });
    HealthChecks.register(name, () -> schema.isReady() && health.isUp());
  }

  /** Stores frames: replies {@code OK} once their samples are committed. */
  IngestHandler ingest() {
    return ingest;
  }

  MySqlConfig mysql() {
    return mysql;
  }

  StagingWriter staging() {
    return staging;
  }

  /** Creates the schema now, or keeps trying in the background while the database is away. */
  Future<Void> createNowOrLater() {
    return schema.createNowOrLater();
  }

  Future<Void> stop() {
    HealthChecks.unregister(name);
    schema.stop();
    retention.stop();
    health.stop();
    activity.stop();
    return compactor.stop()
      .eventually(liveness::stop)
      .eventually(maintenancePool::close)
      .eventually(pool::close);
  }
}
