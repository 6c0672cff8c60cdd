package io.nbnet.saver.samples;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.nbnet.support.metrics.NbnetMeters;
import io.nbnet.formats.Sample;
import io.nbnet.saver.mysql.DatabaseErrors;
import io.nbnet.saver.mysql.SqlQueries;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Collects the rows of many frames bound for one table and writes them together: a flush happens
 * when {@code batchRows} rows are waiting or {@code flushMillis} after the first of them arrived
 * (with 0, at once when no flush of the table is running), as multi-row prepared INSERTs. At most {@code maxFlushesPerTable} flushes of a table run at once;
 * rows arriving meanwhile wait for the next one. Every frame part is told when its rows are
 * committed. A failed flush is tried again twice (a lost connection may pass); when MySQL rejects a
 * batch's data, each part is written alone, so one bad frame fails alone and the frames batched with
 * it are still stored.
 */
final class TableBatcher {

  private static final Comparator<Sample> PRIMARY_KEY_ORDER = Comparator.comparing(Sample::host)
    .thenComparing(Sample::metric).thenComparing(Sample::tags).thenComparingLong(Sample::timestampMillis);

  private static final long[] RETRY_DELAYS_MILLIS = {200, 1_000};

  private final Vertx vertx;
  private final Pool pool;
  private final String table;
  private BatchSettings settings;
  private final Map<Integer, String> insertSql = new HashMap<>();
  private final Counter rowsInserted;
  private final Timer flushLatency;
  private final Counter flushFailures;
  private List<Part> parts = new ArrayList<>();
  private int waitingRows;
  private long timer = -1;
  private int flushesRunning;

  TableBatcher(Vertx vertx, Pool pool, String table, BatchSettings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.table = table;
    this.settings = settings;
    this.rowsInserted = NbnetMeters.counter("nbnet.saver.rows", "rows inserted", "table", table);
    this.flushLatency = NbnetMeters.timer("nbnet.saver.batch.latency", "time to commit one flush of a table", "table", table);
    this.flushFailures = NbnetMeters.counter("nbnet.saver.batch.failures", "flushes that failed after their retries", "table", table);
  }

  /** One frame's rows for this table, and who waits for them. */
  private record Part(List<Sample> rows, Promise<Void> committed) {
  }

  /** Queues rows; the future completes once they are committed. */
  Future<Void> add(List<Sample> rows) {
    Promise<Void> committed = Promise.promise();
    parts.add(new Part(rows, committed));
    waitingRows += rows.size();
    if (waitingRows >= settings.batchRows() || flushesRunning == 0 && settings.flushMillis() == 0) {
      flush();
    } else if (timer < 0 && settings.flushMillis() > 0) {
      timer = vertx.setTimer(settings.flushMillis(), id -> {
        timer = -1;
        flush();
      });
    }
    return committed.future();
  }

  /** New thresholds apply from the next rows on. */
  void settings(BatchSettings next) {
    this.settings = next;
  }

  private void flush() {
    if (parts.isEmpty() || flushesRunning >= settings.maxFlushesPerTable()) {
      return; // the running flush picks the rows up when it ends
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    List<Part> batch = parts;
    parts = new ArrayList<>();
    waitingRows = 0;
    flushesRunning++;
    long startNanos = System.nanoTime();
    List<Sample> batchRows = new ArrayList<>();
    batch.forEach(part -> batchRows.addAll(part.rows()));
    // in primary-key order InnoDB fills pages one after the other instead of jumping between them
    batchRows.sort(PRIMARY_KEY_ORDER);
    insertRetrying(batchRows, 0)
      .recover(failure -> batch.size() > 1 && DatabaseErrors.isDataError(failure) ? insertEachAlone(batch) : Future.failedFuture(failure))
      .onComplete(ar -> {
        flushesRunning--;
        flushLatency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        if (ar.succeeded()) {
          rowsInserted.increment(batchRows.size());
          batch.forEach(part -> part.committed().tryComplete());
        } else {
          flushFailures.increment();
          batch.forEach(part -> part.committed().tryFail(ar.cause()));
        }
        if (waitingRows >= settings.batchRows() || (!parts.isEmpty() && timer < 0)) {
          flush();
        }
      });
  }

  /** A lost connection or a deadlock may pass: try twice more, 200 ms and 1 s later, before giving up. */
  private Future<Void> insertRetrying(List<Sample> rows, int attempt) {
    return insert(rows).recover(failure -> {
      if (DatabaseErrors.isDataError(failure) || attempt >= RETRY_DELAYS_MILLIS.length) {
        return Future.failedFuture(failure);
      }
      Promise<Void> retried = Promise.promise();
      vertx.setTimer(RETRY_DELAYS_MILLIS[attempt], id -> insertRetrying(rows, attempt + 1).onComplete(retried));
      return retried.future();
    });
  }

  /** Completes once every part has its own outcome; the parts' promises carry the results. */
  private Future<Void> insertEachAlone(List<Part> batch) {
    List<Future<Void>> alone = new ArrayList<>();
    for (Part part : batch) {
      alone.add(insert(part.rows())
        .onSuccess(v -> part.committed().tryComplete())
        .onFailure(failure -> part.committed().tryFail(failure)));
    }
    return Future.join(alone).otherwiseEmpty().mapEmpty();
  }

  /** One transaction per flush: its statements are pipelined on one connection and share one commit (one log flush). */
  private Future<Void> insert(List<Sample> batch) {
    return pool.withTransaction(connection -> {
      List<Future<?>> statements = new ArrayList<>();
      int offset = 0;
      for (int size : InsertChunks.sizes(batch.size(), settings.maxRowsPerInsert())) {
        statements.add(connection.preparedQuery(sql(size)).execute(values(batch, offset, size)));
        offset += size;
      }
      return Future.all(statements).mapEmpty();
    });
  }

  private static Tuple values(List<Sample> batch, int offset, int size) {
    Tuple values = Tuple.tuple();
    for (int i = offset; i < offset + size; i++) {
      Sample sample = batch.get(i);
      values.addString(sample.host())
        .addString(sample.metric())
        .addString(sample.tags())
        .addLong(sample.timestampMillis())
        .addValue(sample.isText() ? null : sample.value())
        .addString(sample.text());
    }
    return values;
  }

  private String sql(int rows) {
    return insertSql.computeIfAbsent(rows, count -> SqlQueries.insertSamples(table, count));
  }
}
