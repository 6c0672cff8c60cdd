package io.nbnet.bench.ingest;

import io.nbnet.saver.mysql.SqlQueries;
import io.nbnet.saver.retention.DayPartitions;
import io.nbnet.saver.samples.ShardRule;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The database's ceiling for these rows: a plain loop of 500-row prepared INSERTs (statement cached)
 * on one connection, one after the other, of the same rows the fleet sends, into tables of the same
 * layout (day partitions included) and the same shard rule, so the only difference left is the pipeline.
 */
final class CeilingLoop {

  static final String PREFIX = "ceiling_";
  private static final int ROWS_PER_INSERT = 500;

  private final Pool pool;
  private final SyntheticFleet fleet;
  private final ShardRule shards;
  private final List<Tuple> pending = new ArrayList<>();
  private final List<Integer> pendingRows = new ArrayList<>();
  private long generated;
  private long inserted;

  CeilingLoop(Pool pool, SyntheticFleet fleet, int shardCount) {
    this.pool = pool;
    this.fleet = fleet;
    this.shards = new ShardRule(PREFIX, shardCount, ShardRule.ShardBy.HOST_FAMILY);
  }

  /** Inserts for {@code millis} ms; completes with the rows inserted. */
  Future<Long> run(long millis) {
    Promise<Long> done = Promise.promise();
    long end = System.nanoTime() + millis * 1_000_000;
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String partitioning = DayPartitions.clause(today, today.plusDays(3));
    Future<Void> ready = Future.succeededFuture();
    for (String table : shards.tables()) {
      ready = ready.compose(v -> pool.query("DROP TABLE IF EXISTS `" + table + "`").execute())
        .compose(v -> pool.query(SqlQueries.createSampleTable(table, partitioning)).execute()).mapEmpty();
      pending.add(Tuple.tuple());
      pendingRows.add(0);
    }
    ready.onSuccess(v -> next(end, done)).onFailure(done::fail);
    return done.future();
  }

  Future<Void> dropTables() {
    Future<Void> dropped = Future.succeededFuture();
    for (String table : shards.tables()) {
      dropped = dropped.compose(v -> pool.query("DROP TABLE IF EXISTS `" + table + "`").execute().mapEmpty());
    }
    return dropped;
  }

  private void next(long end, Promise<Long> done) {
    if (System.nanoTime() >= end) {
      done.complete(inserted);
      return;
    }
    int full = fillUntilATableIsFull();
    Tuple rows = pending.set(full, Tuple.tuple());
    pendingRows.set(full, 0);
    pool.preparedQuery(SqlQueries.insertSamples(shards.table(full), ROWS_PER_INSERT).replace(" ON DUPLICATE KEY UPDATE `ts` = `ts`", ""))
      .execute(rows).onComplete(ar -> {
        if (ar.failed()) {
          done.fail(ar.cause());
          return;
        }
        inserted += ROWS_PER_INSERT;
        next(end, done);
      });
  }

  /** Routes the next rows of the sequence to their tables until one holds a full statement. */
  private int fillUntilATableIsFull() {
    while (true) {
      int table = shards.tableIndex(fleet.host(generated), fleet.family(generated));
      fleet.addRow(pending.get(table), generated++);
      int rows = pendingRows.get(table) + 1;
      pendingRows.set(table, rows);
      if (rows == ROWS_PER_INSERT) {
        return table;
      }
    }
  }
}
