package io.nbnet.saver.compaction;

import io.nbnet.saver.layout.StorageLayout;
import io.nbnet.saver.layout.Windows;
import io.nbnet.saver.mysql.InsertChunks;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The 1-hour tier, built from the hour's twelve 5-minute rollups: for every series of an hour once
 * its last window is compacted, and again for the series a late window touched. Recomputed from the
 * 5-minute tier every time, so it is idempotent. Series are read in id ranges (the 5-minute tier is
 * keyed by time, then series) and written in one statement per range.
 */
final class HourRollups {

  private static final int SERIES_PER_RANGE = 2_000;

  private final Pool pool;
  private final StorageLayout layout;

  HourRollups(Pool pool, StorageLayout layout) {
    this.pool = pool;
    this.layout = layout;
  }

  /** Rebuilds hour {@code hour} for every series it holds (empty) or for {@code series} only. */
  Future<Void> rebuild(long hour, Optional<NavigableSet<Integer>> series) {
    if (series.isPresent()) {
      return ranges(hour, series.get());
    }
    return pool.preparedQuery(CompactionSql.selectSeriesRange(layout)).execute(Tuple.of(hour, hour + Windows.HOUR_MILLIS))
      .compose(rows -> {
        Row row = rows.iterator().next();
        if (row.getValue(0) == null) {
          return Future.succeededFuture();
        }
        return range(hour, row.getInteger(0), row.getInteger(1), Optional.empty());
      });
  }

  private Future<Void> ranges(long hour, NavigableSet<Integer> series) {
    Future<Void> chain = Future.succeededFuture();
    List<Integer> ids = new ArrayList<>(series);
    for (int from = 0; from < ids.size(); from += SERIES_PER_RANGE) {
      List<Integer> chunk = ids.subList(from, Math.min(ids.size(), from + SERIES_PER_RANGE));
      NavigableSet<Integer> wanted = new TreeSet<>(chunk);
      chain = chain.compose(v -> readAndWrite(hour, wanted.first(), wanted.last(), Optional.of(wanted)));
    }
    return chain;
  }

  private Future<Void> range(long hour, int first, int last, Optional<NavigableSet<Integer>> only) {
    Future<Void> chain = Future.succeededFuture();
    for (long from = first; from <= last; from += SERIES_PER_RANGE) {
      int lo = (int) from;
      int hi = (int) Math.min(last, from + SERIES_PER_RANGE - 1);
      chain = chain.compose(v -> readAndWrite(hour, lo, hi, only));
    }
    return chain;
  }

  private Future<Void> readAndWrite(long hour, int lo, int hi, Optional<NavigableSet<Integer>> only) {
    Map<Integer, Rollup> byHour = new TreeMap<>();
    Future<Void> reads = Future.succeededFuture();
    for (long bucket = hour; bucket < hour + Windows.HOUR_MILLIS; bucket += Windows.WINDOW_MILLIS) {
      long window = bucket;
      reads = reads.compose(v -> pool.preparedQuery(CompactionSql.selectHourOf5m(layout)).execute(Tuple.of(window, lo, hi)).map(rows -> {
        for (Row row : rows) {
          int id = row.getInteger(1);
          if (only.isPresent() && !only.get().contains(id)) {
            continue;
          }
          Rollup rollup = new Rollup(row.getDouble(2), row.getDouble(3), row.getDouble(4), row.getLong(5), row.getDouble(6), window);
          byHour.merge(id, rollup, Rollup::merge);
        }
        return null;
      }));
    }
    return reads.compose(v -> write(hour, byHour));
  }

  private Future<Void> write(long hour, Map<Integer, Rollup> byHour) {
    if (byHour.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<?>> statements = new ArrayList<>();
    for (List<Map.Entry<Integer, Rollup>> chunk : InsertChunks.split(new ArrayList<>(byHour.entrySet()), 512)) {
      Tuple params = Tuple.tuple();
      chunk.forEach(entry -> SwapCompaction.addRollup(params.addInteger(entry.getKey()).addLong(hour), entry.getValue()));
      statements.add(pool.preparedQuery(CompactionSql.upsertRollup(layout.rollup1h(), false, chunk.size())).execute(params));
    }
    return Future.all(statements).mapEmpty();
  }

  /** Hours touched by a compaction run, each with the series to rebuild (empty: all of them, the hour has just closed). */
  static Map<Long, Optional<NavigableSet<Integer>>> touched(Map<Long, TreeSet<Integer>> seriesByWindow, long closedUpTo) {
    Map<Long, Optional<NavigableSet<Integer>>> hours = new HashMap<>();
    seriesByWindow.forEach((window, series) -> {
      long hour = Windows.hourOf(window);
      boolean lastOfHour = window + Windows.WINDOW_MILLIS == hour + Windows.HOUR_MILLIS;
      if (lastOfHour) {
        hours.put(hour, Optional.empty());
      } else if (hour + Windows.HOUR_MILLIS <= closedUpTo && !hours.containsKey(hour)) {
        hours.put(hour, Optional.of(new TreeSet<>(series)));
      } else if (hour + Windows.HOUR_MILLIS <= closedUpTo && hours.get(hour).isPresent()) {
        hours.get(hour).get().addAll(series);
      }
    });
    return hours;
  }
}
