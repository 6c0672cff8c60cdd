package io.nbnet.store.compaction;

import io.nbnet.store.Rollup;
import io.nbnet.store.tables.Point;
import io.nbnet.store.tables.StagedValues;
import io.nbnet.store.tables.Windows;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Compacts one host whose rows in the table do not fit a page (or whose stored blocks in a window are
 * more than a slice), window by window, a slice of its series at a time: memory holds one slice (at most {@link #SLICE_ROWS} new rows and {@link #SLICE_BLOCKS}
 * stored blocks) and the window's times, however many series the host has. A window is one
 * transaction, so its new times row and every block realigned with it land together.
 */
final class LargeHostCompaction {

  static final int SLICE_ROWS = SwapCompaction.PAGE_ROWS;
  static final int SLICE_BLOCKS = 2_000;
  private static final int TIMES_PAGE = 50_000;

  private final Pool pool;
  private final WorkerExecutor cpu;
  private final WindowWrites writes;
  private final SwapCompaction.Scope scope;
  private final long oldestWindowKept;
  private final int host;
  private long samples;
  private long conflicts;
  private long droppedOld;

  LargeHostCompaction(Pool pool, WorkerExecutor cpu, WindowWrites writes, SwapCompaction.Scope scope, long oldestWindowKept, int host) {
    this.pool = pool;
    this.cpu = cpu;
    this.writes = writes;
    this.scope = scope;
    this.oldestWindowKept = oldestWindowKept;
    this.host = host;
  }

  long samples() {
    return samples;
  }

  long conflicts() {
    return conflicts;
  }

  long droppedOld() {
    return droppedOld;
  }

  /** Compacts every window of the host's rows. */
  Future<Void> run() {
    return run(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** Compacts the host's rows of one window. */
  Future<Void> runWindow(long window) {
    return run(window - 1, window + Windows.WINDOW_MILLIS);
  }

  /** Compacts the windows of the host's rows with times in (after, before). */
  private Future<Void> run(long after, long before) {
    return times(after, before, new long[0]).compose(times -> {
      Future<Void> chain = Future.succeededFuture();
      int from = 0;
      while (from < times.length) {
        long window = Windows.windowOf(times[from]);
        int to = from;
        while (to < times.length && times[to] < window + Windows.WINDOW_MILLIS) {
          to++;
        }
        long[] windowTimes = Arrays.copyOfRange(times, from, to);
        chain = chain.compose(v -> window(window, windowTimes));
        from = to;
      }
      return chain;
    });
  }

  /** The host's distinct sample times in the table, ascending, read a page at a time. */
  private Future<long[]> times(long after, long before, long[] read) {
    return pool.preparedQuery(CompactionSql.distinctTimesOfHost(scope.table())).execute(Tuple.of(host, after, before, TIMES_PAGE)).compose(rows -> {
      long[] more = Arrays.copyOf(read, read.length + rows.size());
      int i = read.length;
      for (Row row : rows) {
        more[i++] = row.getLong(0);
      }
      return rows.size() < TIMES_PAGE ? Future.succeededFuture(more) : times(more[more.length - 1], before, more);
    });
  }

  private Future<Void> window(long window, long[] freshTimes) {
    long end = window + Windows.WINDOW_MILLIS;
    if (window < oldestWindowKept && !scope.rollUpBeyondRaw()) {
      return pool.preparedQuery(CompactionSql.countHostRowsInWindow(scope.table())).execute(Tuple.of(host, window, end))
        .map(rows -> {
          droppedOld += rows.iterator().next().getLong(0);
          return null;
        });
    }
    boolean rollUpOnly = window < oldestWindowKept;
    return pool.withTransaction(connection -> (rollUpOnly ? Future.succeededFuture(new long[0]) : writes.storedTimes(connection, window, host))
      .compose(storedTimes -> {
        long[] times = rollUpOnly ? freshTimes : WindowBlocks.union(storedTimes, freshTimes);
        Slices slices = new Slices(connection, window, storedTimes, times, rollUpOnly);
        return slices.next(-1).compose(v -> writes.markWindow(connection, window)).mapEmpty();
      }));
  }

  /** One window's slices, written on one connection in one transaction. */
  private final class Slices {

    private final SqlConnection connection;
    private final long window;
    private final long[] storedTimes;
    private final long[] times;
    private final boolean rollUpOnly;
    private final boolean timesChanged;
    /** The window's new times row goes with the first slice. */
    private boolean timesWritten;

    Slices(SqlConnection connection, long window, long[] storedTimes, long[] times, boolean rollUpOnly) {
      this.connection = connection;
      this.window = window;
      this.storedTimes = storedTimes;
      this.times = times;
      this.rollUpOnly = rollUpOnly;
      this.timesChanged = !rollUpOnly && times.length != storedTimes.length;
    }

    /** Compacts the series after {@code after}, a slice at a time. */
    Future<Void> next(long after) {
      long end = window + Windows.WINDOW_MILLIS;
      return connection.preparedQuery(CompactionSql.readHostSlice(scope.table())).execute(Tuple.of(host, window, end, after, SLICE_ROWS))
        .compose(rows -> {
          List<Row> page = new ArrayList<>(rows.size());
          rows.forEach(page::add);
          boolean full = page.size() == SLICE_ROWS;
          if (full && page.get(0).getLong(0).equals(page.get(page.size() - 1).getLong(0))) {
            // one series fills the slice: it has at most one row per time of the window, read it whole
            return connection.preparedQuery(CompactionSql.readHostSeries(scope.table()))
              .execute(Tuple.of(host, window, end, page.get(0).getLong(0)))
              .compose(series -> slice(after, listOf(series), page.get(0).getLong(0), true));
          }
          // a full slice may hold only part of its last series: that one waits for the next slice
          long upTo = full ? page.get(page.size() - 1).getLong(0) - 1 : Integer.MAX_VALUE * 2L + 1;
          return slice(after, page, upTo, full);
        });
    }

    /** The slice (after, upTo]: its new rows merged with its stored blocks (fewer series when those fill a page). */
    private Future<Void> slice(long after, List<Row> fresh, long upTo, boolean moreFresh) {
      Future<List<Row>> storedRows = rollUpOnly ? Future.succeededFuture(List.of())
        : connection.preparedQuery(CompactionSql.selectBlocksOfHostBetween(writes.layout()))
          .execute(Tuple.of(window, host, after, upTo, SLICE_BLOCKS)).map(LargeHostCompaction::listOf);
      return storedRows.compose(stored -> {
        boolean moreStored = stored.size() == SLICE_BLOCKS;
        long last = moreStored ? Math.min(upTo, stored.get(stored.size() - 1).getLong(0)) : upTo;
        Map<Integer, byte[]> storedBlocks = new HashMap<>();
        stored.forEach(row -> storedBlocks.put(row.getInteger(0), row.getBuffer(1).getBytes()));
        Map<Integer, List<Point>> points = new TreeMap<>();
        for (Row row : fresh) {
          if (row.getLong(0) <= last) {
            long ts = row.getLong(1);
            points.computeIfAbsent(row.getInteger(0), s -> new ArrayList<>()).add(StagedValues.point(ts, row.getDouble(2), row.getString(3)));
            samples++;
          }
        }
        Future<Void> written = rollUpOnly ? rollUp(points) : compact(storedBlocks, points);
        boolean more = moreFresh || moreStored;
        return written.compose(v -> more ? next(last) : Future.succeededFuture());
      });
    }

    private Future<Void> compact(Map<Integer, byte[]> storedBlocks, Map<Integer, List<Point>> fresh) {
      boolean writeTimes = timesChanged && !timesWritten;
      timesWritten = true;
      return cpu.executeBlocking(() -> WindowBlocks.build(storedTimes, times, storedBlocks, fresh)).compose(blocks -> {
        conflicts += blocks.conflicts();
        WindowBlocks slice = writeTimes ? blocks : new WindowBlocks(Optional.empty(), blocks.blocks(), blocks.rollups(),
          blocks.added(), blocks.conflicts());
        return writes.hourBlocks(connection, window, blocks.rollups()).compose(hourBlocks -> {
          List<Future<?>> statements = new ArrayList<>(writes.writeBlocks(connection, window, Map.of(host, slice)));
          statements.addAll(writes.writeRollups(connection, window, hourBlocks, blocks.added()));
          return Future.all(statements).mapEmpty();
        });
      });
    }

    private Future<Void> rollUp(Map<Integer, List<Point>> fresh) {
      Map<Integer, Rollup> rollups = new TreeMap<>();
      fresh.forEach((series, points) -> Rollup.of(points).ifPresent(rollup -> rollups.put(series, rollup)));
      return writes.hourBlocks(connection, window, rollups).compose(hourBlocks ->
        Future.all(writes.writeRollups(connection, window, hourBlocks, new ArrayList<>(fresh.keySet()))).mapEmpty());
    }
  }

  private static List<Row> listOf(RowSet<Row> rows) {
    List<Row> list = new ArrayList<>(rows.size());
    rows.forEach(list::add);
    return list;
  }
}
