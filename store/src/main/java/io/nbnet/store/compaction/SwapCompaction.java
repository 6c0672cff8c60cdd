package io.nbnet.store.compaction;

import io.nbnet.store.Rollup;
import io.nbnet.store.mysql.InsertChunks;
import io.nbnet.store.tables.BlockCodec;
import io.nbnet.store.tables.HourBlock;
import io.nbnet.store.tables.Point;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.tables.Windows;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compacts what the compacting table holds (one window swapped out of the staging ring, and any late
 * samples that shared its partition), host by host in key order: each host's times in a window are
 * stored once, each series' samples become one raw block aligned with them, merged with what is
 * stored already (the stored samples win a conflict), and one 5-minute rollup is recomputed from the
 * whole block, so running it twice changes nothing. Samples older than the raw tier's retention are
 * dropped and counted; a migration, which brings whole windows at once, rolls them up instead. The
 * encoding runs on a worker; the writes of a stretch of hosts are one transaction.
 */
public final class SwapCompaction {

  /** Rows read from the compacting table at once. */
  static final int PAGE_ROWS = 20_000;
  /** Series looked up, or rollups written, per statement. */
  private static final int STATEMENT_ROWS = 512;
  /** Blocks written per statement: a block is a few hundred bytes to a few kilobytes. */
  private static final int BLOCKS_PER_STATEMENT = 128;

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
  private final StorageLayout layout;
  private final WorkerExecutor cpu;
  private final SeriesDays seriesDays;
  private final HourRollups hours;
  private final Scope scope;
  /** The first window the raw tier keeps. */
  private final long oldestWindowKept;
  private long samples;
  private long conflicts;
  private long droppedOld;

  SwapCompaction(Pool pool, StorageLayout layout, WorkerExecutor cpu, SeriesDays seriesDays, HourRollups hours, Scope scope) {
    this.pool = pool;
    this.layout = layout;
    this.cpu = cpu;
    this.seriesDays = seriesDays;
    this.hours = hours;
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
        // one host fills the page: read it alone, whole
        return pool.preparedQuery(CompactionSql.readCompactingHost(scope.table())).execute(Tuple.of(lastHost))
          .compose(hostRows -> {
            List<Row> all = new ArrayList<>(hostRows.size());
            hostRows.forEach(all::add);
            return compact(all);
          })
          .compose(v -> nextPage(lastHost + 1));
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
      String text = row.getString(4);
      Point point = text != null ? Point.text(ts, text) : Point.numeric(ts, row.getDouble(3));
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
    return hourBlocks(window, rollups).compose(hourBlocks -> pool.withTransaction(connection -> {
      List<Future<?>> statements = new ArrayList<>(writeHourBlocks(connection, window, hourBlocks));
      seriesDays.mark(connection, Windows.day(window), added).ifPresent(statements::add);
      statements.add(connection.preparedQuery(CompactionSql.insertWindow(layout)).execute(Tuple.of(window)));
      return Future.all(statements).mapEmpty();
    }));
  }

  private Future<Void> compactWindow(long window, TreeMap<Integer, Map<Integer, List<Point>>> freshByHost) {
    return stored(window, freshByHost.keySet())
      .compose(stored -> cpu.executeBlocking(() -> {
        Map<Integer, WindowBlocks> byHost = new TreeMap<>();
        freshByHost.forEach((host, fresh) -> {
          Stored hostStored = stored.getOrDefault(host, Stored.NONE);
          byHost.put(host, WindowBlocks.build(hostStored.times(), hostStored.blocks(), fresh));
        });
        return byHost;
      }))
      .compose(byHost -> {
        Map<Integer, Rollup> rollups = new TreeMap<>();
        byHost.values().forEach(blocks -> rollups.putAll(blocks.rollups()));
        return hourBlocks(window, rollups)
          .compose(hourBlocks -> pool.withTransaction(connection -> write(connection, window, byHost, hourBlocks)));
      });
  }

  /** The 5-minute rows of the window's hour for these series, with the window's new rollups set. */
  private Future<Map<Integer, HourBlock>> hourBlocks(long window, Map<Integer, Rollup> rollups) {
    long hour = Windows.hourOf(window);
    Map<Integer, HourBlock> blocks = new TreeMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (List<Integer> chunk : InsertChunks.split(new ArrayList<>(rollups.keySet()), STATEMENT_ROWS)) {
      Tuple params = Tuple.tuple().addLong(hour);
      chunk.forEach(params::addInteger);
      chain = chain.compose(v -> pool.preparedQuery(CompactionSql.selectHourBlocks(layout, chunk.size())).execute(params).map(rows -> {
        rows.forEach(row -> blocks.put(row.getInteger(0), HourBlock.decode(hour, row.getString(1))));
        return null;
      }));
    }
    return chain.map(v -> {
      rollups.forEach((series, rollup) -> blocks.put(series, blocks.getOrDefault(series, HourBlock.empty(hour)).with(window, rollup)));
      return blocks;
    });
  }

  /** What a host's window holds already: its times and blocks. */
  private record Stored(long[] times, Map<Integer, byte[]> blocks) {
    static final Stored NONE = new Stored(new long[0], Map.of());
  }

  /** The times and blocks already stored for these hosts in this window (late samples and second runs merge into them). */
  private Future<Map<Integer, Stored>> stored(long window, Set<Integer> hosts) {
    Map<Integer, Stored> stored = new HashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (List<Integer> chunk : InsertChunks.split(new ArrayList<>(hosts), STATEMENT_ROWS)) {
      Tuple params = Tuple.tuple().addLong(window);
      chunk.forEach(params::addInteger);
      chain = chain.compose(v -> pool.preparedQuery(CompactionSql.selectTimes(layout, chunk.size())).execute(params).compose(rows -> {
        Future<Void> blocks = Future.succeededFuture();
        for (Row row : rows) {
          int host = row.getInteger(0);
          long[] times = BlockCodec.decodeTimes(window, row.getString(1));
          blocks = blocks.compose(x -> pool.preparedQuery(CompactionSql.selectBlocksOfHost(layout)).execute(Tuple.of(window, host))
            .map(blockRows -> {
              Map<Integer, byte[]> bySeries = new HashMap<>();
              blockRows.forEach(block -> bySeries.put(block.getInteger(0), block.getBuffer(1).getBytes()));
              stored.put(host, new Stored(times, bySeries));
              return null;
            }));
        }
        return blocks;
      }));
    }
    return chain.map(v -> stored);
  }

  /** The 5-minute rows of the window's hour, and its hour rollups when the hour is closed already. */
  private List<Future<?>> writeHourBlocks(SqlClient connection, long window, Map<Integer, HourBlock> hourBlocks) {
    List<Future<?>> statements = new ArrayList<>();
    long hour = Windows.hourOf(window);
    for (List<Map.Entry<Integer, HourBlock>> chunk : InsertChunks.split(new ArrayList<>(hourBlocks.entrySet()), STATEMENT_ROWS)) {
      Tuple params = Tuple.tuple();
      chunk.forEach(entry -> params.addLong(hour).addInteger(entry.getKey()).addString(entry.getValue().encode()));
      statements.add(connection.preparedQuery(CompactionSql.upsertHourBlocks(layout, chunk.size())).execute(params));
    }
    if (hour < scope.closedHoursBefore()) {
      statements.add(hours.write(connection, hour, hourBlocks));
    }
    return statements;
  }

  private Future<Void> write(SqlClient connection, long window, Map<Integer, WindowBlocks> byHost, Map<Integer, HourBlock> hourBlocks) {
    List<Future<?>> statements = new ArrayList<>();
    List<Object[]> times = new ArrayList<>();
    List<Object[]> blocks = new ArrayList<>();
    List<Integer> added = new ArrayList<>();
    byHost.forEach((host, hostBlocks) -> {
      conflicts += hostBlocks.conflicts();
      hostBlocks.times().ifPresent(t -> times.add(new Object[] {host, BlockCodec.encodeTimes(window, t)}));
      hostBlocks.blocks().forEach(block -> blocks.add(new Object[] {host, block}));
      added.addAll(hostBlocks.added());
    });
    for (List<Object[]> chunk : InsertChunks.split(times, STATEMENT_ROWS)) {
      Tuple params = Tuple.tuple();
      chunk.forEach(row -> params.addLong(window).addInteger((Integer) row[0]).addString((String) row[1]));
      statements.add(connection.preparedQuery(CompactionSql.upsertTimes(layout, chunk.size())).execute(params));
    }
    for (List<Object[]> chunk : InsertChunks.split(blocks, BLOCKS_PER_STATEMENT)) {
      Tuple params = Tuple.tuple();
      chunk.forEach(row -> {
        WindowBlocks.Block block = (WindowBlocks.Block) row[1];
        params.addLong(window).addInteger((Integer) row[0]).addInteger(block.series()).addInteger(block.samples())
          .addBuffer(Buffer.buffer(block.points()));
      });
      statements.add(connection.preparedQuery(CompactionSql.upsertBlocks(layout, chunk.size())).execute(params));
    }
    statements.addAll(writeHourBlocks(connection, window, hourBlocks));
    seriesDays.mark(connection, Windows.day(window), added).ifPresent(statements::add);
    statements.add(connection.preparedQuery(CompactionSql.insertWindow(layout)).execute(Tuple.of(window)));
    return Future.all(statements).mapEmpty();
  }
}
