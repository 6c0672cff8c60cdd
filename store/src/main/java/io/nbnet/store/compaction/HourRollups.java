package io.nbnet.store.compaction;

import io.nbnet.store.Rollup;
import io.nbnet.store.mysql.InsertChunks;
import io.nbnet.store.tables.HourBlock;
import io.nbnet.store.tables.StorageLayout;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The 1-hour tier, built from the 5-minute tier's row of each series and hour: for every series of an
 * hour once the hour has closed, and again for the series a late window changed afterwards. Recomputed
 * from the 5-minute tier every time, so it is idempotent. Written once per series and hour (not at
 * every window): the tier is keyed by series, so each write lands on a page of its own.
 */
final class HourRollups {

  private static final int PAGE_ROWS = 2_000;
  private static final int STATEMENT_ROWS = 512;

  private final Pool pool;
  private final StorageLayout layout;

  HourRollups(Pool pool, StorageLayout layout) {
    this.pool = pool;
    this.layout = layout;
  }

  /** Rolls up every series of a closed hour, a page of series at a time. */
  Future<Void> rollUp(long hour) {
    return page(hour, 0);
  }

  private Future<Void> page(long hour, int afterSeries) {
    return pool.preparedQuery(CompactionSql.selectHourBlocksAfter(layout)).execute(Tuple.of(hour, afterSeries, PAGE_ROWS)).compose(rows -> {
      Map<Integer, HourBlock> blocks = new TreeMap<>();
      int last = afterSeries;
      for (Row row : rows) {
        last = row.getInteger(0);
        blocks.put(last, HourBlock.decode(hour, row.getString(1)));
      }
      int next = last;
      Future<Void> written = pool.withConnection(connection -> write(connection, hour, blocks));
      return rows.size() < PAGE_ROWS ? written : written.compose(v -> page(hour, next));
    });
  }

  /** Writes the hour rollups of {@code blocks} (one hour's 5-minute rows by series). */
  Future<Void> write(SqlClient connection, long hour, Map<Integer, HourBlock> blocks) {
    List<Map.Entry<Integer, Rollup>> rollups = new ArrayList<>();
    blocks.forEach((series, block) -> block.hourRollup().ifPresent(rollup -> rollups.add(Map.entry(series, rollup))));
    List<Future<?>> statements = new ArrayList<>();
    for (List<Map.Entry<Integer, Rollup>> chunk : InsertChunks.split(rollups, STATEMENT_ROWS)) {
      Tuple params = Tuple.tuple();
      chunk.forEach(entry -> {
        Rollup rollup = entry.getValue();
        params.addInteger(entry.getKey()).addLong(hour).addDouble(rollup.min()).addDouble(rollup.max()).addDouble(rollup.sum())
          .addLong(rollup.count()).addDouble(rollup.last());
      });
      statements.add(connection.preparedQuery(CompactionSql.upsertHourRollups(layout, chunk.size())).execute(params));
    }
    return Future.all(statements).mapEmpty();
  }
}
