package io.nbnet.store.compaction;

import io.nbnet.store.Rollup;
import io.nbnet.store.tables.Point;
import io.nbnet.store.tables.StagedValues;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.tables.Windows;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compacts what the compacting table holds (one window swapped out of the staging ring, and any late
 * samples that shared its partition), host by host in key order: each host's times in a window are
 * stored once, each series' samples become one raw block aligned with them, merged with what is
 * stored already (the stored samples win a conflict), and one 5-minute rollup is recomputed from the
 * whole block, so running it twice changes nothing. Samples older than the raw tier's retention are
 * dropped and counted; a migration, which brings whole windows at once, rolls them up instead. The
 * encoding runs on a worker; the writes of a stretch of hosts are one transaction. A host with more
 * rows than a page is compacted alone by {@link LargeHostCompaction}, in slices of its series: memory
 * does not grow with the series a host has.
 */
public final class SwapCompaction {

  /** Rows read from the compacting table at once. */
  static final int PAGE_ROWS = 20_000;

  /** What one run did. */
  public record Result(long samples, long conflicts, long droppedOld) {
  }

  /**
   * What one run compacts, and how.
   *
   * @param table             the table to compact (the compacting table, or a migration's)
   * @param rawCutoffMillis   samples older than this are outside the raw tier's retention ({@code Long.MIN_VALUE}: none is)
   * @param rollUpBeyondRaw   roll up samples older than the raw tier's retention instead of dropping them
   * @param closedHoursBefore hours before this one are rolled up already: a window of theirs updates its hour's rollup at once
   */
  record Scope(String table, long rawCutoffMillis, boolean rollUpBeyondRaw, long closedHoursBefore) {
  }

  private final Pool pool;
  private final WorkerExecutor cpu;
  private final WindowWrites writes;
  private final Scope scope;
  /** The first window the raw tier keeps. */
  private final long oldestWindowKept;
  private long samples;
  private long conflicts;
  private long droppedOld;

  SwapCompaction(Pool pool, StorageLayout layout, WorkerExecutor cpu, SeriesDays seriesDays, HourRollups hours, Scope scope) {
    this.pool = pool;
    this.cpu = cpu;
    this.writes = new WindowWrites(pool, layout, seriesDays, hours, scope.closedHoursBefore());
    this.scope = scope;
    this.oldestWindowKept = scope.rawCutoffMillis() == Long.MIN_VALUE ? Long.MIN_VALUE : Windows.windowOf(scope.rawCutoffMillis());
  }

  /**
   * Compacts a migration's table: samples of closed hours, whole windows at once; what is older than
   * the raw tier's retention goes to the rollups only.
   */
  public static Future<Result> migrate(Pool pool, StorageLayout layout, WorkerExecutor cpu, String table, long rawCutoffMillis) {
    long now = System.currentTimeMillis();
    return new SwapCompaction(pool, layout, cpu, new SeriesDays(layout), new HourRollups(pool, layout),
      new Scope(table, rawCutoffMillis, true, Windows.hourOf(now))).run();
  }

  Future<Result> run() {
    return nextPage(0).map(v -> new Result(samples, conflicts, droppedOld));
  }

  private Future<Void> nextPage(long fromHost) {
    return pool.preparedQuery(CompactionSql.readCompacting(scope.table())).execute(Tuple.of(fromHost, PAGE_ROWS)).compose(rows -> {
      List<Row> page = new ArrayList<>(rows.size());
      rows.forEach(page::add);
      if (page.isEmpty()) {
        return Future.succeededFuture();
      }
      long lastHost = page.get(page.size() - 1).getLong(0);
      if (page.size() < PAGE_ROWS) {
        return compact(page);
      }
      List<Row> complete = page.stream().filter(row -> row.getLong(0) != lastHost).toList();
      if (complete.isEmpty()) {
        // one host fills the page: it is compacted alone, a slice of its series at a time
        LargeHostCompaction large = new LargeHostCompaction(pool, cpu, writes, scope, oldestWindowKept, (int) lastHost);
        return large.run().compose(v -> {
          samples += large.samples();
          conflicts += large.conflicts();
          droppedOld += large.droppedOld();
          return nextPage(lastHost + 1);
        });
      }
      return compact(complete).compose(v -> nextPage(lastHost));
    });
  }

  /** Compacts whole hosts' rows: one transaction per window they cover. */
  private Future<Void> compact(List<Row> rows) {
    TreeMap<Long, TreeMap<Integer, Map<Integer, List<Point>>>> byWindow = new TreeMap<>();
    for (Row row : rows) {
      long ts = row.getLong(1);
      long window = Windows.windowOf(ts);
      if (window < oldestWindowKept && !scope.rollUpBeyondRaw()) {
        droppedOld++;
        continue;
      }
      Point point = StagedValues.point(ts, row.getDouble(3), row.getString(4));
      byWindow.computeIfAbsent(window, w -> new TreeMap<>()).computeIfAbsent(row.getInteger(0), h -> new HashMap<>())
        .computeIfAbsent(row.getInteger(2), s -> new ArrayList<>()).add(point);
      samples++;
    }
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<Long, TreeMap<Integer, Map<Integer, List<Point>>>> window : byWindow.entrySet()) {
      chain = chain.compose(v -> window.getKey() < oldestWindowKept
        ? rollUpOnly(window.getKey(), window.getValue())
        : compactWindow(window.getKey(), window.getValue()));
    }
    return chain;
  }

  /** A window the raw tier no longer keeps, arriving whole: its rollups, from its samples alone. */
  private Future<Void> rollUpOnly(long window, TreeMap<Integer, Map<Integer, List<Point>>> freshByHost) {
    Map<Integer, Rollup> rollups = new TreeMap<>();
    freshByHost.values().forEach(fresh -> fresh.forEach((series, points) -> {
      points.sort(Comparator.comparingLong(Point::ts));
      Rollup.of(points).ifPresent(rollup -> rollups.put(series, rollup));
    }));
    List<Integer> added = new ArrayList<>();
    freshByHost.values().forEach(fresh -> added.addAll(fresh.keySet()));
    return writes.hourBlocks(pool, window, rollups).compose(hourBlocks -> pool.withTransaction(connection -> {
      List<Future<?>> statements = new ArrayList<>(writes.writeRollups(connection, window, hourBlocks, added));
      statements.add(writes.markWindow(connection, window));
      return Future.all(statements).mapEmpty();
    }));
  }

  private Future<Void> compactWindow(long window, TreeMap<Integer, Map<Integer, List<Point>>> freshByHost) {
    return writes.stored(window, freshByHost.keySet()).compose(stored -> {
      // hosts whose stored window is more than a slice are compacted alone, a slice at a time (their samples are counted already)
      List<Integer> large = stored.entrySet().stream().filter(entry -> entry.getValue().tooLarge()).map(Map.Entry::getKey).toList();
      large.forEach(freshByHost::remove);
      return compactWindow(window, freshByHost, stored).compose(v -> {
        Future<Void> chain = Future.succeededFuture();
        for (int host : large) {
          LargeHostCompaction alone = new LargeHostCompaction(pool, cpu, writes, scope, oldestWindowKept, host);
          chain = chain.compose(x -> alone.runWindow(window).onSuccess(y -> conflicts += alone.conflicts()));
        }
        return chain;
      });
    });
  }

  private Future<Void> compactWindow(long window, TreeMap<Integer, Map<Integer, List<Point>>> freshByHost,
                                     Map<Integer, WindowWrites.Stored> stored) {
    if (freshByHost.isEmpty()) {
      return Future.succeededFuture();
    }
    return cpu.executeBlocking(() -> {
        Map<Integer, WindowBlocks> byHost = new TreeMap<>();
        freshByHost.forEach((host, fresh) -> {
          WindowWrites.Stored hostStored = stored.getOrDefault(host, WindowWrites.Stored.NONE);
          long[] times = WindowBlocks.union(hostStored.times(), fresh);
          byHost.put(host, WindowBlocks.build(hostStored.times(), times, hostStored.blocks(), fresh));
        });
        return byHost;
      })
      .compose(byHost -> {
        Map<Integer, Rollup> rollups = new TreeMap<>();
        List<Integer> added = new ArrayList<>();
        byHost.values().forEach(blocks -> {
          rollups.putAll(blocks.rollups());
          added.addAll(blocks.added());
          conflicts += blocks.conflicts();
        });
        return writes.hourBlocks(pool, window, rollups).compose(hourBlocks -> pool.withTransaction(connection -> {
          List<Future<?>> statements = new ArrayList<>(writes.writeBlocks(connection, window, byHost));
          statements.addAll(writes.writeRollups(connection, window, hourBlocks, added));
          statements.add(writes.markWindow(connection, window));
          return Future.all(statements).mapEmpty();
        }));
      });
  }
}
