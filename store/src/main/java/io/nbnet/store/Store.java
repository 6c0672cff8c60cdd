package io.nbnet.store;

import io.nbnet.formats.Sample;
import io.nbnet.formats.legacy.LegacyMessage;
import io.nbnet.store.compaction.Compactor;
import io.nbnet.store.legacy.LegacyWriter;
import io.nbnet.store.metrics.StoreMeters;
import io.nbnet.store.migration.LegacyMigration;
import io.nbnet.store.mysql.DatabaseErrors;
import io.nbnet.store.mysql.DatabaseHealth;
import io.nbnet.store.mysql.LeaderLock;
import io.nbnet.store.mysql.MySqlPools;
import io.nbnet.store.mysql.WriterSlots;
import io.nbnet.store.retention.RetentionManager;
import io.nbnet.store.schema.SchemaCreator;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.series.HostActivity;
import io.nbnet.store.series.HostStates;
import io.nbnet.store.series.SeriesIds;
import io.nbnet.store.staging.IngestObserver;
import io.nbnet.store.staging.NativeIngest;
import io.nbnet.store.staging.StagingWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * One database's storage: samples written into its staging table, and the maintenance that turns them
 * into tiers (compaction) and keeps the tiers within their retention. Writes go through a pool of their
 * own; maintenance runs on another, so it never takes the connections writers wait for. The schema is
 * created when missing (while the database is away, again every few seconds), and maintenance starts
 * once it exists. A saver has one store; in Kafka mode, one per shard. Use it from the event loop that
 * opened it.
 */
public final class Store {

  private static final Logger log = Logger.getLogger(Store.class.getName());
  /** The compaction and leader locks' connections, the compaction's reads and writes, retention and host states. */
  private static final int MAINTENANCE_CONNECTIONS = 6;
  /** How often the store checks that it writes alone (else its head answers nothing) and trims its head. */
  private static final long WRITERS_CHECK_MILLIS = 2_000;
  /**
   * How often what writes say about each host's activity is written to the hosts table: the times
   * {@link #hostStates()} reads lag behind the writes by up to this.
   */
  public static final long ACTIVITY_RECORD_LAG_MILLIS = 2_000;

  private final MySqlConfig mysql;
  private final Pool pool;
  private final Pool maintenancePool;
  private final SchemaCreator schema;
  private final RetentionManager retention;
  private final Compactor compactor;
  private final DatabaseHealth health;
  private final HostActivity activity;
  private final HostStates hostStates;
  private final StagingWriter staging;
  private final NativeIngest samples;
  private final LegacyWriter legacy;
  private final StoreMeters meters;
  private final Vertx vertx;
  private final long maxFutureMillis;
  private final WriterSlots writers;
  private final Optional<Head> head;
  private final StorageLayout layout;
  private long writersTimer = -1;
  private boolean stopped;

  private Store(Vertx vertx, String name, StoreConfig config, MySqlConfig mysql) {
    this.mysql = mysql;
    this.vertx = vertx;
    this.layout = config.layout();
    this.maxFutureMillis = config.limits().maxFutureMs();
    String suffix = name.equals("mysql") ? "" : "-" + name;
    meters = new StoreMeters(name, config.layout());
    pool = MySqlPools.writePool(vertx, mysql, "nbnet-saver" + suffix);
    maintenancePool = MySqlPools.maintenancePool(vertx, mysql, MAINTENANCE_CONNECTIONS, "nbnet-maintenance" + suffix);
    schema = new SchemaCreator(vertx, mysql, config.layout(), pool);
    retention = new RetentionManager(vertx, maintenancePool, config.layout(), config.retention(), Clock.systemUTC());
    compactor = new Compactor(vertx, maintenancePool, config.layout(), config.compaction(), config.retention(), mysql.responseTimeoutMillis(),
      meters);
    health = new DatabaseHealth(vertx, pool, mysql.responseTimeoutMillis());
    activity = new HostActivity(vertx, pool, config.layout(), ACTIVITY_RECORD_LAG_MILLIS);
    hostStates = new HostStates(maintenancePool, config.layout());
    SeriesIds ids = new SeriesIds(pool, config.layout(), config.maxCachedSeries(), config.limits());
    meters.seriesCached(ids::cachedSeries);
    staging = new StagingWriter(vertx, pool, config.layout(), config.batching(), mysql.responseTimeoutMillis(), meters);
    writers = new WriterSlots(maintenancePool, mysql.responseTimeoutMillis());
    head = config.head().enabled() ? Optional.of(new Head(config.head(), System::currentTimeMillis)) : Optional.empty();
    head.ifPresent(h -> meters.head(h::seriesCount, h::sampleCount, h::bytes, h::coveredSeconds));
    samples = new NativeIngest(ids, staging, activity, config.retention().rawDays(), config.limits().maxFutureMs(),
      head.map(IngestObserver.class::cast).orElse(IngestObserver.NONE));
    legacy = new LegacyWriter(pool, meters);
    schema.onReady(() -> {
      watchWriters();
      retention.start();
      compactor.start();
      LegacyMigration.pendingTables(pool, config.layout()).onSuccess(tables -> {
        if (!tables.isEmpty()) {
          log.warning("nbnet 1 sample tables " + tables + " are still in " + mysql.database() + ": their samples show in the"
            + " views once ./nbnet migrate has moved them");
        }
      });
    });
  }

  /**
   * A store on {@code mysql}; nothing is asked of the database until {@link #createNowOrLater()}.
   *
   * @param name {@code mysql} for a saver's own database, {@code shard-NAME} for a Kafka shard's: its pools and meters carry it
   */
  public static Store open(Vertx vertx, String name, StoreConfig config, MySqlConfig mysql) {
    return new Store(vertx, name, config, mysql);
  }

  /**
   * Creates the database and the schema when missing, one attempt, for tools that need the tables and
   * nothing else of a store (the migration, benchmarks); fails when the database does not answer.
   */
  public static Future<Void> createSchema(Vertx vertx, MySqlConfig mysql, StoreConfig config) {
    Pool pool = MySqlPools.pool(vertx, mysql, true, 1);
    return new SchemaCreator(vertx, mysql, config.layout(), pool).createOnce().eventually(pool::close);
  }

  /**
   * Creates the schema now, or keeps trying in the background while the database is away; maintenance
   * starts once it exists. The future succeeds once the first attempt is over, whatever its outcome.
   */
  public Future<Void> createNowOrLater() {
    return schema.createNowOrLater();
  }

  /** Runs {@code action} once the schema exists (at once if it does). */
  public void onReady(Runnable action) {
    schema.onReady(action);
  }

  /** Why writes would be refused now (no schema yet, or writes failing until a probe succeeds); empty while they are taken. */
  public Optional<String> whyUnavailable() {
    if (!schema.isReady()) {
      return Optional.of("MySQL is not reachable yet");
    }
    return health.isUp() ? Optional.empty() : Optional.of("MySQL is not taking writes now");
  }

  /**
   * Stores samples of any hosts; completes once every row is committed, with the number of samples
   * that came with another value than the one stored for their key (the stored one is kept). Fails with
   * a {@link StoreException}.
   */
  public Future<Integer> write(List<Sample> batch) {
    return reported(samples.write(batch));
  }

  /** Stores a legacy agent's message in its {@code stat_N} table, and notes that its host reported. */
  public Future<Void> writeLegacy(LegacyMessage message) {
    // liveness is best effort: a message stored counts as stored even if its host's activity could not be noted
    return reported(legacy.write(message).onSuccess(v -> samples.seenLegacy(message.host(), message.time() * 1000)
      .onFailure(failure -> log.fine(() -> "cannot note that legacy host " + message.host() + " reported: " + failure.getMessage()))));
  }

  /** A write failure says the database cannot take writes, unless the data itself was refused. */
  private <T> Future<T> reported(Future<T> write) {
    return write.recover(failure -> {
      StoreException error = DatabaseErrors.toStoreException(failure);
      if (error.kind() == StoreException.Kind.UNAVAILABLE) {
        health.reportFailure(error.getCause() != null ? error.getCause() : error);
      }
      return Future.failedFuture(error);
    });
  }

  /** True while the writes wait for the database (every flush slot taken, rows waiting): readers should yield. */
  public boolean writesSaturated() {
    return staging.saturated();
  }

  /** New batching thresholds apply from the next rows on. */
  public void batching(BatchingConfig next) {
    staging.batching(next);
  }

  /**
   * What the hosts table says of every host: when it was last heard, at what interval, and the status
   * last recorded for it (see {@link #recordStatuses}).
   */
  public Future<List<HostState>> hostStates() {
    return hostStates.all();
  }

  /** Records hosts' new statuses, by host name. */
  public Future<Void> recordStatuses(List<HostState.Change> changes) {
    return hostStates.record(changes);
  }

  /**
   * A job that one saver of those sharing this database does at a time ({@code job} names the lock,
   * {@code duty} says in the log what the holder does).
   */
  public Leadership leadership(String job, String duty) {
    return new LeaderLock(maintenancePool, job, duty, mysql.responseTimeoutMillis());
  }

  /** One round of retention now (or the round in progress): partitions created ahead, expired ones dropped. */
  public Future<Void> retentionRound() {
    return retention.maintain();
  }

  /** The newest samples in memory too; empty when {@code saver.head} is off. */
  public Optional<Head> head() {
    return head;
  }

  /**
   * Every few seconds: holds this saver's writer slot, and while another saver writes here too (or
   * while that is unknown) tells the head it cannot vouch for anything those may write; starts the
   * head past the newest sample stored once this saver writes alone.
   */
  private void watchWriters() {
    if (stopped) {
      return;
    }
    checkWriters().onComplete(v -> {
      if (!stopped) {
        writersTimer = vertx.setTimer(WRITERS_CHECK_MILLIS, id -> watchWriters());
      }
    });
  }

  private Future<Void> checkWriters() {
    Future<Boolean> alone = writers.hold().compose(held -> writers.others().map(others -> held && others == 0))
      .recover(failure -> Future.succeededFuture(false));
    if (head.isEmpty()) {
      return alone.mapEmpty();
    }
    Head memory = head.get();
    memory.trim();
    return alone.<Void>compose(writesAlone -> {
      if (!writesAlone) {
        // another saver may write anything up to its clock's future limit, until the next check
        memory.distrustUntil(System.currentTimeMillis() + maxFutureMillis + 2 * WRITERS_CHECK_MILLIS,
          "another saver writes to this database too (or this one holds no writer slot now)");
        return Future.succeededFuture();
      }
      if (memory.started()) {
        return Future.succeededFuture();
      }
      return maintenancePool.query(ReadSql.newestStored(layout)).execute().map(rows -> {
        long newest = rows.iterator().next().getLong(0);
        memory.start(newest < 0 ? Long.MIN_VALUE : newest);
        return (Void) null;
      });
    }).recover(failure -> {
      log.fine(() -> "cannot check this saver's writer slot: " + failure.getMessage());
      return Future.<Void>succeededFuture();
    });
  }

  /** Stops maintenance (a compaction round in progress ends first, for at most a few seconds), then closes the pools. */
  public Future<Void> stop() {
    stopped = true;
    if (writersTimer >= 0) {
      vertx.cancelTimer(writersTimer);
    }
    schema.stop();
    retention.stop();
    health.stop();
    activity.stop();
    meters.close();
    return compactor.stop()
      .eventually(writers::release)
      .eventually(maintenancePool::close)
      .eventually(pool::close);
  }
}
