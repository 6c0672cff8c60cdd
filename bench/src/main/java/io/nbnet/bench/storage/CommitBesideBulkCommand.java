package io.nbnet.bench.storage;

import io.nbnet.store.MySqlConfig;
import io.nbnet.support.logging.OneLineLogging;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.nbnet.bench.storage.BenchDatabase.await;

/**
 * {@code ./nbnet bench-commit}: what MariaDB itself does to a one-row commit while bulk rows go into
 * the same staging table, with no nbnet process in the path: the database's side of the saver's
 * "small frames beside 4 MiB frames" figure (HostilePeerIT). One connection inserts one row at a time
 * (autocommit, as the saver's one-statement flush), alone and then beside another connection writing
 * transactions of 500-row INSERTs (as the saver's flushes of a large frame); p50/p90/p99 of each.
 */
@Command(name = "bench-commit", mixinStandardHelpOptions = true,
  description = "MariaDB's one-row commit latency alone and beside bulk inserts into the saver's staging table")
public final class CommitBesideBulkCommand implements Callable<Integer> {

  private static final int BULK_ROWS_PER_STATEMENT = 500;
  private static final int SERIES = 100;

  @Option(names = "--rounds", defaultValue = "3", description = "rounds of alone, then beside (default: ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--commits", defaultValue = "2000", description = "one-row commits per phase (default: ${DEFAULT-VALUE})")
  int commits;

  @Option(names = "--statements", defaultValue = "4", description = "500-row INSERTs per bulk transaction (default: ${DEFAULT-VALUE})")
  int statements;

  @Mixin
  BenchMySqlOptions mysqlServer;

  @Option(names = "--database", defaultValue = "nbnet_bench_commit", description = "dropped and created anew (default: ${DEFAULT-VALUE})")
  String database;

  public static void main(String[] args) {
    OneLineLogging.install();
    System.exit(new CommandLine(new CommitBesideBulkCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    MySqlConfig mysql = mysqlServer.database(database);
    try {
      BenchDatabase.recreate(vertx, mysql);
      Pool pool = BenchDatabase.pool(vertx, mysql, true, 4);
      String one = BenchDatabase.insertStaged(1);
      String bulk = BenchDatabase.insertStaged(BULK_ROWS_PER_STATEMENT);
      long start = (System.currentTimeMillis() / 3_600_000 - 3) * 3_600_000;
      System.out.printf("one-row commits (host 1) alone, then beside %d x %d-row INSERT transactions (hosts 2..), %d per phase%n",
        statements, BULK_ROWS_PER_STATEMENT, commits);
      for (int round = 0; round < rounds; round++) {
        Histogram alone = oneRowCommits(pool, one, start, round * 2L * commits);
        AtomicBoolean stop = new AtomicBoolean();
        int bulkHost = 2 + round;
        AtomicLong bulkRows = new AtomicLong();
        Thread bulkWriter = new Thread(() -> bulkRows.set(bulkUntil(pool, bulk, bulkHost, start, stop)));
        bulkWriter.start();
        Histogram beside = oneRowCommits(pool, one, start, (round * 2L + 1) * commits);
        stop.set(true);
        bulkWriter.join();
        System.out.printf("round %d: alone %s | beside %s (%,d bulk rows) | p99 beside / alone %.1fx%n", round + 1, percentiles(alone),
          percentiles(beside), bulkRows.get(), (double) beside.getValueAtPercentile(99) / alone.getValueAtPercentile(99));
      }
      await(pool.close(), 10);
      return 0;
    } finally {
      await(vertx.close(), 30);
    }
  }

  private Histogram oneRowCommits(Pool pool, String sql, long start, long offset) throws Exception {
    Histogram latencies = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    for (int i = 0; i < commits; i++) {
      long began = System.nanoTime();
      await(pool.preparedQuery(sql).execute(Tuple.of(1, start + (offset + i) * 10_000L, 1, (double) i)), 60);
      latencies.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - began));
    }
    return latencies;
  }

  /** Transactions of 500-row INSERTs, a host's series interval after interval, until told to stop; the rows written. */
  private long bulkUntil(Pool pool, String sql, int host, long start, AtomicBoolean stop) {
    long rows = 0;
    try {
      while (!stop.get()) {
        long first = rows;
        await(pool.withTransaction(connection -> {
          List<Future<RowSet<Row>>> inserts = new ArrayList<>();
          for (int s = 0; s < statements; s++) {
            Tuple values = Tuple.tuple();
            for (int r = 0; r < BULK_ROWS_PER_STATEMENT; r++) {
              long row = first + (long) s * BULK_ROWS_PER_STATEMENT + r;
              values.addInteger(host).addLong(start + row / SERIES * 10_000L).addInteger((int) (row % SERIES) + 1)
                .addValue(1000.0 * (row % SERIES) + row / 7.0);
            }
            inserts.add(connection.preparedQuery(sql).execute(values));
          }
          return Future.all(inserts);
        }), 60);
        rows += (long) statements * BULK_ROWS_PER_STATEMENT;
      }
    } catch (Exception e) {
      throw new IllegalStateException("bulk inserts failed", e);
    }
    return rows;
  }

  private static String percentiles(Histogram latencies) {
    return String.format("p50 %.2f p90 %.2f p99 %.2f ms", latencies.getValueAtPercentile(50) / 1e3,
      latencies.getValueAtPercentile(90) / 1e3, latencies.getValueAtPercentile(99) / 1e3);
  }
}
