package io.nbnet.saver.compaction;

import io.nbnet.saver.layout.StorageLayout;
import io.nbnet.saver.layout.Windows;
import io.nbnet.saver.mysql.InsertChunks;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compacts what the compacting table holds (one window swapped out of the staging ring, and any late
 * samples that shared its partition), host by host in key order: each series' samples of a window
 * become one raw block, merged with the block already there (the stored samples win a conflict), and
 * one 5-minute rollup recomputed from the whole block, so running it twice changes nothing. Samples
 * older than the raw tier's retention are dropped and counted. The encoding runs on a worker; the
 * writes of a stretch of hosts are one transaction.
 */
final class SwapCompaction {

  /** Rows read from the compacting table at once. */
  static final int PAGE_ROWS = 20_000;
  /** Series looked up, or rollups written, per statement. */
  private static final int STATEMENT_ROWS = 512;
  /** Blocks written per statement: a block is a few hundred bytes to a few kilobytes. */
  private static final int BLOCKS_PER_STATEMENT = 128;

  /** What one run did. */
  record Result(TreeMap<Long, TreeSet<Integer>> seriesByWindow, long samples, long conflicts, long droppedOld) {
  }

  private final Pool pool;
  private final StorageLayout layout;
  private final WorkerExecutor cpu;
  /** The first window the raw tier keeps. */
  private final long oldestWindowKept;
  private final TreeMap<Long, TreeSet<Integer>> seriesByWindow = new TreeMap<>();
  private final SeriesDays seriesDays;
  private long samples;
  private long conflicts;
  private long droppedOld;

  /** @param rawCutoffMillis samples older than this are outside the raw tier's retention ({@code Long.MIN_VALUE}: none is) */
  SwapCompaction(Pool pool, StorageLayout layout, WorkerExecutor cpu, long rawCutoffMillis, SeriesDays seriesDays) {
    this.pool = pool;
    this.layout = layout;
    this.cpu = cpu;
    this.oldestWindowKept = rawCutoffMillis == Long.MIN_VALUE ? Long.MIN_VALUE : Windows.windowOf(rawCutoffMillis);
    this.seriesDays = seriesDays;
  }

  Future<Result> run() {
    return nextPage(0).map(v -> new Result(seriesByWindow, samples, conflicts, droppedOld));
  }

  private Future<Void> nextPage(long fromHost) {
    return pool.preparedQuery(CompactionSql.readCompacting(layout)).execute(Tuple.of(fromHost, PAGE_ROWS)).compose(rows -> {
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
        return pool.preparedQuery(CompactionSql.readCompactingHost(layout)).execute(Tuple.of(lastHost))
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
    TreeMap<Long, Map<Integer, List<Point>>> byWindow = new TreeMap<>();
    for (Row row : rows) {
      long ts = row.getLong(1);
      long window = Windows.windowOf(ts);
      if (window < oldestWindowKept) {
        droppedOld++;
        continue;
      }
      String text = row.getString(4);
      Point point = text != null ? Point.text(ts, text) : Point.numeric(ts, row.getDouble(3));
      byWindow.computeIfAbsent(window, w -> new HashMap<>()).computeIfAbsent(row.getInteger(2), s -> new ArrayList<>()).add(point);
      samples++;
    }
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<Long, Map<Integer, List<Point>>> window : byWindow.entrySet()) {
      chain = chain.compose(v -> compactWindow(window.getKey(), window.getValue()));
    }
    return chain;
  }

  private Future<Void> compactWindow(long window, Map<Integer, List<Point>> fresh) {
    List<Integer> series = new ArrayList<>(new TreeSet<>(fresh.keySet()));
    seriesByWindow.computeIfAbsent(window, w -> new TreeSet<>()).addAll(series);
    return storedBlocks(window, series)
      .compose(stored -> cpu.executeBlocking(() -> WindowBlocks.build(window, series, fresh, stored)))
      .compose(blocks -> pool.withTransaction(connection -> write(connection, window, blocks)));
  }

  /** The blocks already stored for these series in this window (late samples and second runs merge into them). */
  private Future<Map<Integer, byte[]>> storedBlocks(long window, List<Integer> series) {
    Map<Integer, byte[]> stored = new HashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (List<Integer> chunk : InsertChunks.split(series, STATEMENT_ROWS)) {
      Tuple params = Tuple.tuple().addLong(window);
      chunk.forEach(params::addInteger);
      chain = chain.compose(v -> pool.preparedQuery(CompactionSql.selectBlocks(layout, chunk.size())).execute(params).map(rows -> {
        rows.forEach(row -> stored.put(row.getInteger(0), row.getBuffer(1).getBytes()));
        return null;
      }));
    }
    return chain.map(v -> stored);
  }

  private Future<Void> write(SqlClient connection, long window, WindowBlocks blocks) {
    conflicts += blocks.conflicts();
    List<Future<?>> statements = new ArrayList<>();
    for (List<WindowBlocks.Block> chunk : InsertChunks.split(blocks.blocks(), BLOCKS_PER_STATEMENT)) {
      Tuple params = Tuple.tuple();
      chunk.forEach(block -> params.addLong(window).addInteger(block.series()).addInteger(block.samples())
        .addBuffer(Buffer.buffer(block.points())));
      statements.add(connection.preparedQuery(CompactionSql.upsertBlocks(layout, chunk.size())).execute(params));
    }
    List<Map.Entry<Integer, Rollup>> rollups = new ArrayList<>(blocks.rollups().entrySet());
    for (List<Map.Entry<Integer, Rollup>> chunk : InsertChunks.split(rollups, STATEMENT_ROWS)) {
      Tuple params = Tuple.tuple();
      chunk.forEach(entry -> addRollup(params.addLong(window).addInteger(entry.getKey()), entry.getValue()));
      statements.add(connection.preparedQuery(CompactionSql.upsertRollup(layout.rollup5m(), true, chunk.size())).execute(params));
    }
    Optional<Future<?>> days = seriesDays.mark(connection, Windows.day(window), blocks.blocks().stream().map(WindowBlocks.Block::series).toList());
    days.ifPresent(statements::add);
    statements.add(connection.preparedQuery(CompactionSql.insertWindow(layout)).execute(Tuple.of(window)));
    return Future.all(statements).mapEmpty();
  }

  static Tuple addRollup(Tuple params, Rollup rollup) {
    return params.addDouble(rollup.min()).addDouble(rollup.max()).addDouble(rollup.sum()).addLong(rollup.count()).addDouble(rollup.last());
  }
}
