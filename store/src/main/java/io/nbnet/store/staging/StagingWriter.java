package io.nbnet.store.staging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.nbnet.store.BatchingConfig;
import io.nbnet.store.metrics.StoreMeters;
import io.nbnet.store.mysql.DatabaseErrors;
import io.nbnet.store.mysql.InsertChunks;
import io.nbnet.store.tables.StorageLayout;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Writes samples into the staging table, where they wait for compaction. The rows of many frames go
 * together: a flush happens when {@code batchRows} rows are waiting or {@code flushMillis} after the
 * first of them arrived (with 0, at once whenever a flush slot is free), as multi-row prepared
 * INSERTs in one transaction. At most {@code maxFlushes} flushes run at once; rows arriving
 * meanwhile wait for the next. Every frame part is told, once its rows are committed, how many of
 * them conflicted with a different value already stored for the same key. A flush takes at most
 * {@code batchRows} rows, the smallest parts first, and a part larger than that goes in slices: a
 * 4 MiB frame's rows never hold the event loop for long, and small frames from other peers pass
 * them. A failed flush is tried
 * again twice; when MySQL rejects a batch's data, each part is written alone, so one bad frame fails
 * alone.
 */
public final class StagingWriter {

  private static final long[] RETRY_DELAYS_MILLIS = {200, 1_000};
  private static final Comparator<StagedPart> KEY_ORDER = Comparator.comparingInt(StagedPart::hostId)
    .thenComparingLong(part -> part.size() == 0 ? 0 : part.ts(0));

  private final Vertx vertx;
  private final Pool pool;
  private final StorageLayout layout;
  private final long responseTimeoutMillis;
  private BatchingConfig batching;
  private final Map<Integer, String> insertSql = new HashMap<>();
  private final Counter rowsInserted;
  private final Counter conflicts;
  private final Timer flushLatency;
  private final Counter flushFailures;
  private List<Waiting> waiting = new ArrayList<>();
  private int waitingRows;
  private long timer = -1;
  private int flushesRunning;
  private final Set<Integer> hostsFlushing = new HashSet<>();

  /** One frame's rows for one host, and who waits for them. */
  private record Waiting(StagedPart part, Promise<Integer> committed) {
  }

  /**
   * @param responseTimeoutMillis an attempt at a flush that has no outcome by then fails (and is retried):
   *                              a silent MySQL cannot hold frames for good, whichever step it hangs in
   */
  public StagingWriter(Vertx vertx, Pool pool, StorageLayout layout, BatchingConfig batching, long responseTimeoutMillis, StoreMeters meters) {
    this.vertx = vertx;
    this.pool = pool;
    this.layout = layout;
    this.responseTimeoutMillis = responseTimeoutMillis;
    this.batching = batching;
    this.rowsInserted = meters.stagedRows;
    this.conflicts = meters.conflicts;
    this.flushLatency = meters.flushLatency;
    this.flushFailures = meters.flushFailures;
  }

  /** Queues a part; the future completes with its number of conflicting samples once its rows are committed. */
  Future<Integer> add(StagedPart part) {
    int limit = batching.batchRows();
    if (part.size() <= limit) {
      return addWhole(part);
    }
    List<Future<Integer>> slices = new ArrayList<>();
    for (int from = 0; from < part.size(); from += limit) {
      slices.add(addWhole(part.slice(from, Math.min(part.size(), from + limit))));
    }
    return Future.all(slices).map(all -> slices.stream().mapToInt(Future::result).sum());
  }

  private Future<Integer> addWhole(StagedPart part) {
    Promise<Integer> committed = Promise.promise();
    waiting.add(new Waiting(part, committed));
    waitingRows += part.size();
    if (waitingRows >= batching.batchRows() || flushesRunning < batching.maxFlushes() && batching.flushMillis() == 0) {
      flush();
    } else if (timer < 0 && batching.flushMillis() > 0) {
      timer = vertx.setTimer(batching.flushMillis(), id -> {
        timer = -1;
        flush();
      });
    }
    return committed.future();
  }

  /** True while every flush slot is taken and rows wait for one: the database is what holds the writes back now. */
  public boolean saturated() {
    return flushesRunning >= batching.maxFlushes() && !waiting.isEmpty();
  }

  /** New thresholds apply from the next rows on. */
  public void batching(BatchingConfig next) {
    this.batching = next;
  }

  /** Starts a flush of waiting rows if a slot is free; false when none started. */
  private boolean flush() {
    if (waiting.isEmpty() || flushesRunning >= batching.maxFlushes()) {
      return false; // a running flush picks the rows up when it ends
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    List<Waiting> batch = takeBatch();
    if (batch.isEmpty()) {
      return false; // every waiting host is being flushed: the flush that ends picks them up
    }
    flushesRunning++;
    long startNanos = System.nanoTime();
    // in key order InnoDB fills each host's tail page after the other instead of jumping between them
    List<StagedPart> parts = batch.stream().map(Waiting::part).sorted(KEY_ORDER).toList();
    int rows = parts.stream().mapToInt(StagedPart::size).sum();
    insertRetrying(parts, 0)
      .compose(affected -> affected == rows ? Future.succeededFuture(Map.<StagedPart, Integer>of()) : conflictsByPart(parts))
      .onSuccess(found -> batch.forEach(w -> w.committed().tryComplete(found.getOrDefault(w.part(), 0))))
      .recover(failure -> batch.size() > 1 && DatabaseErrors.isDataError(failure) ? insertEachAlone(batch) : Future.failedFuture(failure))
      .onComplete(ar -> {
        flushesRunning--;
        batch.forEach(w -> hostsFlushing.remove(w.part().hostId()));
        flushLatency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        if (ar.succeeded()) {
          rowsInserted.increment(rows);
        } else {
          flushFailures.increment();
          batch.forEach(w -> w.committed().tryFail(ar.cause()));
        }
        while (!waiting.isEmpty() && (waitingRows >= batching.batchRows() || timer < 0) && flush()) {
          // as many flushes as there are free slots and hosts not being written
        }
      });
    return true;
  }

  /**
   * Up to {@code batchRows} rows of the waiting parts (at least one part), smallest first, of hosts no
   * running flush writes: two transactions inserting next to each other in one host's keys would
   * deadlock.
   */
  private List<Waiting> takeBatch() {
    List<Waiting> candidates = new ArrayList<>(waiting);
    if (waitingRows > batching.batchRows()) {
      candidates.sort(Comparator.comparingInt(w -> w.part().size()));
    }
    List<Waiting> batch = new ArrayList<>();
    Set<Integer> hosts = new HashSet<>();
    int rows = 0;
    for (Waiting w : candidates) {
      int host = w.part().hostId();
      if (hostsFlushing.contains(host) || !batch.isEmpty() && rows + w.part().size() > batching.batchRows()) {
        continue;
      }
      batch.add(w);
      hosts.add(host);
      rows += w.part().size();
    }
    hostsFlushing.addAll(hosts);
    Set<Waiting> taken = Collections.newSetFromMap(new IdentityHashMap<>());
    taken.addAll(batch);
    waiting.removeIf(taken::contains);
    waitingRows -= rows;
    return batch;
  }

  /** A lost connection or a deadlock may pass: try twice more, 200 ms and 1 s later, before giving up. */
  private Future<Integer> insertRetrying(List<StagedPart> parts, int attempt) {
    // a late commit after the timeout is harmless: the sender resends and a replay adds nothing
    return insert(parts).timeout(responseTimeoutMillis, TimeUnit.MILLISECONDS).recover(failure -> {
      if (DatabaseErrors.isDataError(failure) || attempt >= RETRY_DELAYS_MILLIS.length) {
        return Future.failedFuture(failure);
      }
      Promise<Integer> retried = Promise.promise();
      vertx.setTimer(RETRY_DELAYS_MILLIS[attempt], id -> insertRetrying(parts, attempt + 1).onComplete(retried));
      return retried.future();
    });
  }

  /** Completes once every part has its own outcome; the parts' promises carry the results. */
  private Future<Map<StagedPart, Integer>> insertEachAlone(List<Waiting> batch) {
    List<Future<Integer>> alone = new ArrayList<>();
    for (Waiting w : batch) {
      alone.add(insert(List.of(w.part()))
        .compose(affected -> affected == w.part().size() ? Future.succeededFuture(0) : conflictsByPart(List.of(w.part()))
          .map(found -> found.getOrDefault(w.part(), 0)))
        .onSuccess(found -> w.committed().tryComplete(found))
        .onFailure(failure -> w.committed().tryFail(failure)));
    }
    return Future.join(alone).otherwiseEmpty().map(v -> Map.of());
  }

  /**
   * One transaction per flush: its statements are pipelined on one connection and share one commit (a
   * flush of one statement is that statement alone, in autocommit). Completes with the affected rows: the rows sent plus one per conflicting sample.
   */
  private Future<Integer> insert(List<StagedPart> parts) {
    RowCursor cursor = new RowCursor(parts);
    List<Integer> sizes = InsertChunks.sizes(cursor.rows(), batching.maxRowsPerInsert());
    if (sizes.size() == 1) {
      // a statement commits atomically on its own: one round trip instead of three (BEGIN, INSERT,
      // COMMIT), each of which waits its turn while large frames keep the database busy
      return pool.preparedQuery(sql(sizes.get(0))).execute(cursor.next(sizes.get(0))).map(RowSet::rowCount);
    }
    return pool.withTransaction(connection -> {
      List<Future<RowSet<Row>>> statements = new ArrayList<>();
      for (int size : sizes) {
        statements.add(connection.preparedQuery(sql(size)).execute(cursor.next(size)));
      }
      return Future.all(statements).map(all -> statements.stream().mapToInt(rows -> rows.result().rowCount()).sum());
    });
  }

  /** Which parts brought the conflicts a statement reported: their sent values against the stored ones. */
  private Future<Map<StagedPart, Integer>> conflictsByPart(List<StagedPart> parts) {
    return pool.withConnection(connection -> {
      Map<StagedPart, Integer> found = new HashMap<>();
      Future<Void> chain = Future.succeededFuture();
      for (StagedPart part : parts) {
        chain = chain.compose(v -> countConflicts(connection, part)).map(count -> {
          if (count > 0) {
            found.put(part, count);
            conflicts.increment(count);
          }
          return null;
        });
      }
      return chain.map(v -> found);
    });
  }

  private Future<Integer> countConflicts(SqlConnection connection, StagedPart part) {
    List<Long> times = part.distinctTimes();
    Tuple params = Tuple.tuple().addInteger(part.hostId());
    times.forEach(params::addLong);
    return connection.preparedQuery(StagingSql.selectStored(layout, times.size())).execute(params)
      .map(rows -> ConflictLog.compare(part, rows));
  }

  private String sql(int rows) {
    return insertSql.computeIfAbsent(rows, count -> StagingSql.insertRecent(layout, count));
  }

  /** Walks the rows of several parts in order, a statement's worth at a time. */
  private static final class RowCursor {
    private final List<StagedPart> parts;
    private int part;
    private int row;

    RowCursor(List<StagedPart> parts) {
      this.parts = parts;
    }

    int rows() {
      return parts.stream().mapToInt(StagedPart::size).sum();
    }

    Tuple next(int count) {
      Tuple values = Tuple.tuple();
      for (int i = 0; i < count; i++) {
        while (row >= parts.get(part).size()) {
          part++;
          row = 0;
        }
        StagedPart current = parts.get(part);
        values.addInteger(current.hostId()).addLong(current.ts(row)).addInteger(current.series(row))
          .addValue(current.isText(row) ? null : current.value(row)).addString(current.text(row));
        row++;
      }
      return values;
    }
  }
}
