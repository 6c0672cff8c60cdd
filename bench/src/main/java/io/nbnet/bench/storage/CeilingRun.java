package io.nbnet.bench.storage;

import io.nbnet.formats.Sample;
import io.nbnet.store.CompactionConfig;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.RetentionConfig;
import io.nbnet.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The database's best for exactly the rows the saver writes, in the same order: each connection takes
 * a share of the hosts, writes their dictionary rows (host, series) with one multi-row INSERT per host,
 * then their staging rows interval after interval with multi-row INSERTs of the saver's size, while
 * a saver's store (same code, same settings) compacts behind them as it does in production.
 * No frames, no trans, no decoding, no lookups: the difference to the pipeline is the pipeline.
 */
final class CeilingRun {

  private static final int ROWS_PER_INSERT = 500;
  private static final int ROWS_PER_TRANSACTION = 2_000;

  private final Vertx vertx;
  private final MySqlConfig mysql;
  private final MovingFleet fleet;
  private final long intervals;
  private final int connections;
  private final CompactionConfig compaction;
  private final RetentionConfig retention;

  CeilingRun(Vertx vertx, MySqlConfig mysql, MovingFleet fleet, long intervals, int connections, CompactionConfig compaction,
             RetentionConfig retention) {
    this.vertx = vertx;
    this.mysql = mysql;
    this.fleet = fleet;
    this.intervals = intervals;
    this.connections = connections;
    this.compaction = compaction;
    this.retention = retention;
  }

  /** What a run measured. */
  record Result(RateTimeline timeline, String cpu) {
  }

  Result run() throws Exception {
    BenchDatabase.recreate(vertx, mysql);
    Pool pool = BenchDatabase.pool(vertx, mysql, true, connections + 1);
    BenchDatabase.OpenStore store = BenchDatabase.openStore(vertx, mysql, compaction, retention);
    try {
      RateTimeline timeline = new RateTimeline();
      CpuClock cpu = new CpuClock().watch("bench", ProcessHandle.current().pid()).watchDatabaseServer().start();
      List<Future<Void>> loaders = new ArrayList<>();
      int perConnection = (fleet.hosts() + connections - 1) / connections;
      for (int c = 0; c < connections; c++) {
        int first = c * perConnection;
        int count = Math.min(perConnection, fleet.hosts() - first);
        if (count > 0) {
          Promise<Void> loaded = Promise.promise();
          vertx.getOrCreateContext().runOnContext(v -> createDictionary(pool, first, count)
            .compose(x -> load(pool, first, count, 0, timeline)).onComplete(loaded));
          loaders.add(loaded.future());
        }
      }
      BenchDatabase.await(Future.all(loaders), 24 * 3600);
      timeline.end();
      String cpuLine = cpu.stop();
      return new Result(timeline, cpuLine);
    } finally {
      BenchDatabase.await(store.call(Store::stop), 60);
      BenchDatabase.await(pool.close(), 10);
    }
  }

  /** Hosts get ids 1..N and series ids host * perHost + s + 1, in the order the saver would meet them. */
  private Future<Void> createDictionary(Pool pool, int first, int count) {
    long now = System.currentTimeMillis();
    Future<Void> chain = Future.succeededFuture();
    for (int h = first; h < first + count; h++) {
      Tuple host = Tuple.of(h + 1, fleet.host(h), now, now, 0L);
      Tuple series = Tuple.tuple();
      StringBuilder sql = new StringBuilder("INSERT INTO samples_series (series_id, host_id, metric, tags) VALUES ");
      for (int s = 0; s < fleet.seriesPerHost(); s++) {
        sql.append(s == 0 ? "(?,?,?,?)" : ",(?,?,?,?)");
        series.addInteger(seriesId(h, s)).addInteger(h + 1).addString(fleet.series().get(s).metric()).addString(fleet.series().get(s).tags());
      }
      chain = chain.compose(v -> pool.preparedQuery("INSERT INTO samples_hosts (host_id, host, first_received, last_received, last_ts)"
          + " VALUES (?, ?, ?, ?, ?)").execute(host))
        .compose(v -> pool.preparedQuery(sql.toString()).execute(series))
        .mapEmpty();
    }
    return chain;
  }

  private int seriesId(int host, int series) {
    return host * fleet.seriesPerHost() + series + 1;
  }

  /** Writes interval {@code interval} of the connection's hosts, then the next. */
  private Future<Void> load(Pool pool, int first, int count, long interval, RateTimeline timeline) {
    if (interval >= intervals) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(count * fleet.seriesPerHost());
    long newest = 0;
    for (int h = first; h < first + count; h++) {
      List<Sample> samples = fleet.samples(h, interval);
      for (int s = 0; s < samples.size(); s++) {
        Sample sample = samples.get(s);
        rows.add(Tuple.of(h + 1, sample.timestampMillis(), seriesId(h, s), sample.value()));
        newest = Math.max(newest, sample.timestampMillis());
      }
    }
    long mark = newest;
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < rows.size(); from += ROWS_PER_TRANSACTION) {
      List<Tuple> batch = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_TRANSACTION));
      chain = chain.compose(v -> insert(pool, batch)).onSuccess(v -> timeline.add(batch.size()));
    }
    // what the saver's host activity records, so the compactor sees the fleet's time move on
    return chain
      .compose(v -> pool.preparedQuery("UPDATE samples_hosts SET last_ts = ?, last_received = ? WHERE host_id BETWEEN ? AND ?")
        .execute(Tuple.of(mark, System.currentTimeMillis(), first + 1, first + count)))
      .compose(v -> load(pool, first, count, interval + 1, timeline));
  }

  private static Future<Void> insert(Pool pool, List<Tuple> batch) {
    return pool.withTransaction(connection -> {
      List<Future<?>> statements = new ArrayList<>();
      for (int from = 0; from < batch.size(); from += ROWS_PER_INSERT) {
        List<Tuple> chunk = batch.subList(from, Math.min(batch.size(), from + ROWS_PER_INSERT));
        Tuple params = Tuple.tuple();
        for (int i = 0; i < chunk.size(); i++) {
          Tuple row = chunk.get(i);
          params.addValue(row.getValue(0)).addValue(row.getValue(1)).addValue(row.getValue(2)).addValue(row.getValue(3));
        }
        statements.add(connection.preparedQuery(BenchDatabase.insertStaged(chunk.size())).execute(params));
      }
      return Future.all(statements).mapEmpty();
    });
  }
}
