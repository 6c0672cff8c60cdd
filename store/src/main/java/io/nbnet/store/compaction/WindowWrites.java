package io.nbnet.store.compaction;

import io.nbnet.store.Rollup;
import io.nbnet.store.mysql.InsertChunks;
import io.nbnet.store.tables.BlockCodec;
import io.nbnet.store.tables.HourBlock;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.tables.Windows;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What compaction reads of a window's stored state and the statements that write its new one: times
 * rows, raw blocks, 5-minute rows (and hour rollups of closed hours), the series' newest day, the
 * window's mark. Shared by the compaction of whole hosts a page at a time and that of one large host a
 * slice of series at a time.
 */
final class WindowWrites {

  /** Series looked up, or rows written, per statement. */
  static final int STATEMENT_ROWS = 512;
  /** Blocks written per statement: a block is a few hundred bytes to a few kilobytes. */
  private static final int BLOCKS_PER_STATEMENT = 128;

  /** What a host's window holds already: its times and blocks ({@code null} when they are more than a slice). */
  record Stored(long[] times, Map<Integer, byte[]> blocks) {
    static final Stored NONE = new Stored(new long[0], Map.of());

    boolean tooLarge() {
      return blocks == null;
    }
  }

  private final Pool pool;
  private final StorageLayout layout;
  private final SeriesDays seriesDays;
  private final HourRollups hours;
  private final long closedHoursBefore;

  /** @param closedHoursBefore hours before this one are rolled up already: a window of theirs updates its hour's rollup at once */
  WindowWrites(Pool pool, StorageLayout layout, SeriesDays seriesDays, HourRollups hours, long closedHoursBefore) {
    this.pool = pool;
    this.layout = layout;
    this.seriesDays = seriesDays;
    this.hours = hours;
    this.closedHoursBefore = closedHoursBefore;
  }

  StorageLayout layout() {
    return layout;
  }

  /**
   * The times and blocks already stored for these hosts in this window (late samples and second runs
   * merge into them); a host with more than {@link LargeHostCompaction#SLICE_BLOCKS} is marked
   * {@link Stored#tooLarge()}, its blocks not kept.
   */
  Future<Map<Integer, Stored>> stored(long window, Set<Integer> hosts) {
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
          blocks = blocks.compose(x -> pool.preparedQuery(CompactionSql.selectBlocksOfHost(layout))
            .execute(Tuple.of(window, host, LargeHostCompaction.SLICE_BLOCKS + 1))
            .map(blockRows -> {
              if (blockRows.size() > LargeHostCompaction.SLICE_BLOCKS) {
                stored.put(host, new Stored(times, null));
                return null;
              }
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

  /** The times stored for one host's window, without its blocks (empty when none are stored). */
  Future<long[]> storedTimes(SqlClient connection, long window, int host) {
    return connection.preparedQuery(CompactionSql.selectTimes(layout, 1)).execute(Tuple.of(window, host))
      .map(rows -> rows.size() == 0 ? new long[0] : BlockCodec.decodeTimes(window, rows.iterator().next().getString(1)));
  }

  /** The 5-minute rows of the window's hour for these series, with the window's new rollups set. */
  Future<Map<Integer, HourBlock>> hourBlocks(SqlClient client, long window, Map<Integer, Rollup> rollups) {
    long hour = Windows.hourOf(window);
    Map<Integer, HourBlock> blocks = new TreeMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (List<Integer> chunk : InsertChunks.split(new ArrayList<>(rollups.keySet()), STATEMENT_ROWS)) {
      Tuple params = Tuple.tuple().addLong(hour);
      chunk.forEach(params::addInteger);
      chain = chain.compose(v -> client.preparedQuery(CompactionSql.selectHourBlocks(layout, chunk.size())).execute(params).map(rows -> {
        rows.forEach(row -> blocks.put(row.getInteger(0), HourBlock.decode(hour, row.getString(1))));
        return null;
      }));
    }
    return chain.map(v -> {
      rollups.forEach((series, rollup) -> blocks.put(series, blocks.getOrDefault(series, HourBlock.empty(hour)).with(window, rollup)));
      return blocks;
    });
  }

  /** The 5-minute rows of the window's hour, its hour rollups when the hour is closed already, and the series' newest day. */
  List<Future<?>> writeRollups(SqlClient connection, long window, Map<Integer, HourBlock> hourBlocks, List<Integer> added) {
    List<Future<?>> statements = new ArrayList<>();
    long hour = Windows.hourOf(window);
    for (List<Map.Entry<Integer, HourBlock>> chunk : InsertChunks.split(new ArrayList<>(hourBlocks.entrySet()), STATEMENT_ROWS)) {
      Tuple params = Tuple.tuple();
      chunk.forEach(entry -> params.addLong(hour).addInteger(entry.getKey()).addString(entry.getValue().encode()));
      statements.add(connection.preparedQuery(CompactionSql.upsertHourBlocks(layout, chunk.size())).execute(params));
    }
    if (hour < closedHoursBefore) {
      statements.add(hours.write(connection, hour, hourBlocks));
    }
    seriesDays.mark(connection, Windows.day(window), added).ifPresent(statements::add);
    return statements;
  }

  /** The hosts' new times rows and blocks. */
  List<Future<?>> writeBlocks(SqlClient connection, long window, Map<Integer, WindowBlocks> byHost) {
    List<Future<?>> statements = new ArrayList<>();
    List<Object[]> times = new ArrayList<>();
    List<Object[]> blocks = new ArrayList<>();
    byHost.forEach((host, hostBlocks) -> {
      hostBlocks.times().ifPresent(t -> times.add(new Object[] {host, BlockCodec.encodeTimes(window, t)}));
      hostBlocks.blocks().forEach(block -> blocks.add(new Object[] {host, block}));
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
    return statements;
  }

  /** Marks the window compacted. */
  Future<?> markWindow(SqlClient connection, long window) {
    return connection.preparedQuery(CompactionSql.insertWindow(layout)).execute(Tuple.of(window));
  }
}
