package io.nbnet.saver.samples;

import io.nbnet.formats.Sample;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes native samples: each frame's samples are split by shard table and handed to that table's
 * {@link TableBatcher}, which writes the rows of many frames together; a frame is stored once all its
 * parts are committed. Flushes of different tables run side by side on the pool's connections.
 */
public final class SampleWriter {

  private final ShardRule shards;
  private final List<TableBatcher> batchers = new ArrayList<>();

  public SampleWriter(Vertx vertx, Pool pool, ShardRule shards, BatchSettings settings) {
    this.shards = shards;
    for (String table : shards.tables()) {
      batchers.add(new TableBatcher(vertx, pool, table, settings));
    }
  }

  /** Batch sizes and timings change without a restart. */
  public void settings(BatchSettings next) {
    batchers.forEach(batcher -> batcher.settings(next));
  }

  /** Completes with the number of samples written once every row of them is committed. */
  public Future<Integer> write(List<Sample> samples) {
    List<List<Sample>> byTable = new ArrayList<>(shards.shards());
    for (int i = 0; i < shards.shards(); i++) {
      byTable.add(null);
    }
    for (Sample sample : samples) {
      int table = shards.tableIndex(sample);
      List<Sample> part = byTable.get(table);
      if (part == null) {
        part = new ArrayList<>();
        byTable.set(table, part);
      }
      part.add(sample);
    }
    List<Future<Void>> parts = new ArrayList<>();
    for (int table = 0; table < byTable.size(); table++) {
      if (byTable.get(table) != null) {
        parts.add(batchers.get(table).add(byTable.get(table)));
      }
    }
    return Future.all(parts).map(samples.size());
  }
}
