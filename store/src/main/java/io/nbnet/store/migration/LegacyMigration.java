package io.nbnet.store.migration;

import io.nbnet.store.MySqlConfig;
import io.nbnet.store.RetentionConfig;
import io.nbnet.store.Store;
import io.nbnet.store.StoreConfig;
import io.nbnet.store.compaction.SwapCompaction;
import io.nbnet.store.mysql.MySqlPools;
import io.nbnet.store.mysql.WriterSlots;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.tables.Windows;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Moves the samples of a v1 database ({@code samples_0} .. {@code samples_N}: one row per sample,
 * keyed by host, metric, tags and time) into the tiers, a stretch of time ({@code chunkMillis}) of one
 * table at a time: the stretch's hosts and series join the dictionary, its rows are copied by SQL into
 * a table shaped like the compacting table, and the saver's compaction turns them into raw blocks
 * (within the raw tier's retention) and rollups (within theirs). Memory holds one host's samples of
 * one stretch. Each finished stretch is recorded, so a migration stopped at any point resumes where it
 * stopped; a stretch done twice changes nothing. Runs on a thread of its own, waiting for each step.
 */
public final class LegacyMigration {

  /** What a migration did. */
  public record Summary(List<String> tables, long samples, long chunks, long skippedChunks, List<String> dropped) {
  }

  private static final long STEP_TIMEOUT_SECONDS = 24 * 3600;

  private final Pool pool;
  private final WorkerExecutor cpu;
  private final StorageLayout layout;
  private final RetentionConfig retention;
  private final long chunkMillis;
  private final boolean dropMigrated;
  private final Consumer<String> progress;

  LegacyMigration(Pool pool, WorkerExecutor cpu, StorageLayout layout, RetentionConfig retention, long chunkMillis,
                  boolean dropMigrated, Consumer<String> progress) {
    this.pool = pool;
    this.cpu = cpu;
    this.layout = layout;
    this.retention = retention;
    this.chunkMillis = chunkMillis;
    this.dropMigrated = dropMigrated;
    this.progress = progress;
  }

  /**
   * Migrates every v1 table of {@code mysql}'s database, stretches of {@code chunkMillis}, into the
   * schema {@link Store#createSchema} made; call from a thread of the caller's, never an event loop.
   *
   * @param dropMigrated drop each v1 table once all of it is migrated
   * @param progress     a line per stretch and per table
   */
  public static Summary run(Vertx vertx, MySqlConfig mysql, StoreConfig config, long chunkMillis, boolean dropMigrated,
                            Consumer<String> progress) throws Exception {
    Pool pool = MySqlPools.pool(vertx, mysql, true, 5);
    WorkerExecutor cpu = vertx.createSharedWorkerExecutor("nbnet-migration", 1);
    // a writer as a saver is: the savers' heads then know that samples come in by another way than theirs
    WriterSlots writer = new WriterSlots(pool, mysql.responseTimeoutMillis());
    try {
      writer.hold().toCompletionStage().toCompletableFuture().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return new LegacyMigration(pool, cpu, config.layout(), config.retention(), chunkMillis, dropMigrated, progress).run();
    } finally {
      writer.release().toCompletionStage().toCompletableFuture().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      cpu.close();
      pool.close();
    }
  }

  /** The v1 sample tables still in the database. */
  public static Future<List<String>> pendingTables(Pool pool, StorageLayout layout) {
    return pool.query(MigrationSql.legacyTables(layout)).execute().map(rows -> {
      List<String> tables = new ArrayList<>();
      rows.forEach(row -> tables.add(row.getString(0)));
      return tables;
    });
  }

  /** Migrates every v1 table; the v2 schema must exist. */
  Summary run() throws Exception {
    List<String> tables = legacyTables();
    if (tables.isEmpty()) {
      progress.accept("no v1 sample tables (" + layout.prefix() + "0, " + layout.prefix() + "1, ...) in this database: nothing to migrate");
      return new Summary(tables, 0, 0, 0, List.of());
    }
    execute(MigrationSql.createMigrating(layout));
    execute(MigrationSql.createProgress(layout));
    long samples = 0;
    long chunks = 0;
    long skipped = 0;
    List<String> dropped = new ArrayList<>();
    for (String table : tables) {
      Row range = query(MigrationSql.timeRange(table)).iterator().next();
      if (range.getValue(0) == null) {
        progress.accept(table + ": empty");
      } else {
        long first = Math.floorDiv(range.getLong(0), chunkMillis) * chunkMillis;
        long last = range.getLong(1);
        Set<Long> done = done(table);
        long total = (last - first) / chunkMillis + 1;
        long index = 0;
        for (long chunk = first; chunk <= last; chunk += chunkMillis) {
          index++;
          if (done.contains(chunk)) {
            continue;
          }
          if (chunk + chunkMillis <= oldestKeptByAnyTier()) {
            record(table, chunk, 0);
            skipped++;
            progress.accept(String.format("%s: %s, chunk %d of %d: older than every tier keeps, skipped", table, Instant.ofEpochMilli(chunk),
              index, total));
            continue;
          }
          long started = System.nanoTime();
          long copied = migrateChunk(table, chunk);
          samples += copied;
          chunks++;
          double seconds = (System.nanoTime() - started) / 1e9;
          progress.accept(String.format("%s: %s, chunk %d of %d: %,d samples in %.1f s (%,.0f samples/s)", table, Instant.ofEpochMilli(chunk),
            index, total, copied, seconds, copied / Math.max(seconds, 1e-3)));
        }
      }
      if (dropMigrated) {
        execute("DROP TABLE `" + table + "`");
        dropped.add(table);
        progress.accept(table + ": migrated and dropped");
      } else {
        progress.accept(table + ": migrated; drop it once you have checked the new tables (or run again with --drop-migrated)");
      }
    }
    execute("DROP TABLE IF EXISTS `" + MigrationSql.migrating(layout) + "`");
    return new Summary(tables, samples, chunks, skipped, dropped);
  }

  private long migrateChunk(String table, long chunk) throws Exception {
    long end = chunk + chunkMillis;
    long now = System.currentTimeMillis();
    execute("TRUNCATE TABLE `" + MigrationSql.migrating(layout) + "`");
    await(pool.preparedQuery(MigrationSql.insertHosts(layout, table)).execute(Tuple.of(now, now, chunk, end)));
    await(pool.preparedQuery(MigrationSql.insertSeries(layout, table)).execute(Tuple.of(chunk, end)));
    long copied = await(pool.preparedQuery(MigrationSql.copyRows(layout, table)).execute(Tuple.of(chunk, end))).rowCount();
    long rawCutoff = retention.rawDays() == 0 ? Long.MIN_VALUE : now - retention.rawDays() * Windows.DAY_MILLIS;
    await(SwapCompaction.migrate(pool, layout, cpu, MigrationSql.migrating(layout), rawCutoff));
    record(table, chunk, copied);
    return copied;
  }

  /** The start of the oldest period any tier keeps ({@code Long.MIN_VALUE}: one keeps everything). */
  private long oldestKeptByAnyTier() {
    if (retention.rawDays() == 0 || retention.fiveMinuteDays() == 0 || retention.hourDays() == 0) {
      return Long.MIN_VALUE;
    }
    return System.currentTimeMillis() - retention.longestDays() * Windows.DAY_MILLIS;
  }

  private List<String> legacyTables() throws Exception {
    List<String> tables = new ArrayList<>();
    query(MigrationSql.legacyTables(layout)).forEach(row -> tables.add(row.getString(0)));
    return tables;
  }

  private Set<Long> done(String table) throws Exception {
    Set<Long> done = new HashSet<>();
    await(pool.preparedQuery(MigrationSql.chunksDone(layout)).execute(Tuple.of(table))).forEach(row -> done.add(row.getLong(0)));
    return done;
  }

  private void record(String table, long chunk, long samples) throws Exception {
    await(pool.preparedQuery(MigrationSql.recordChunk(layout)).execute(Tuple.of(table, chunk, samples, System.currentTimeMillis())));
  }

  private void execute(String sql) throws Exception {
    await(pool.query(sql).execute());
  }

  private Iterable<Row> query(String sql) throws Exception {
    return await(pool.query(sql).execute());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
