package io.nbnet.saver.samples;

import io.nbnet.sample.Sample;
import io.nbnet.saver.mysql.SqlQueries;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes native samples: grouped by shard table, then multi-row prepared INSERTs per table, all
 * sent at once so the pool spreads them over its connections and pipelines them.
 */
public final class SampleWriter {

  private final Pool pool;
  private final ShardRule shards;
  private final int maxRowsPerInsert;
  private final Map<Long, String> insertSql = new HashMap<>();

  public SampleWriter(Pool pool, ShardRule shards, int maxRowsPerInsert) {
    this.pool = pool;
    this.shards = shards;
    this.maxRowsPerInsert = maxRowsPerInsert;
  }

  /** Completes with the number of samples written once every INSERT has committed. */
  public Future<Integer> write(List<Sample> samples) {
    List<List<Sample>> byTable = new ArrayList<>(shards.shards());
    for (int i = 0; i < shards.shards(); i++) {
      byTable.add(new ArrayList<>());
    }
    for (Sample sample : samples) {
      byTable.get(shards.tableIndex(sample)).add(sample);
    }
    List<Future<?>> inserts = new ArrayList<>();
    for (int table = 0; table < byTable.size(); table++) {
      List<Sample> rows = byTable.get(table);
      int offset = 0;
      for (int size : InsertChunks.sizes(rows.size(), maxRowsPerInsert)) {
        inserts.add(insert(table, rows.subList(offset, offset + size)));
        offset += size;
      }
    }
    return Future.all(inserts).map(samples.size());
  }

  private Future<?> insert(int table, List<Sample> rows) {
    Tuple values = Tuple.tuple();
    for (Sample sample : rows) {
      values.addString(sample.host())
        .addString(sample.metric())
        .addString(sample.tags())
        .addLong(sample.timestampMillis())
        .addValue(sample.isText() ? null : sample.value())
        .addString(sample.text());
    }
    return pool.preparedQuery(sql(table, rows.size())).execute(values);
  }

  private String sql(int table, int rows) {
    return insertSql.computeIfAbsent(((long) table << 32) | rows,
      key -> SqlQueries.insertSamples(shards.table(table), rows));
  }
}
