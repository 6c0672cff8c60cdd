package io.nbnet.saver.samples;

import io.nbnet.support.config.ConfigView;

/**
 * How native rows are batched per table.
 *
 * @param batchRows          flush a table once this many rows wait
 * @param flushMillis        or this long after the first of them arrived
 * @param maxRowsPerInsert   rows per multi-row INSERT statement
 * @param maxFlushesPerTable flushes of one table running at once
 */
public record BatchSettings(int batchRows, long flushMillis, int maxRowsPerInsert, int maxFlushesPerTable) {

  public static BatchSettings from(ConfigView samples) {
    return new BatchSettings(
      samples.integer("batchRows", 2000, 1, 1_000_000),
      samples.longValue("flushMs", 0, 0, 60_000),
      samples.integer("maxRowsPerInsert", 500, 1, 5000),
      samples.integer("maxFlushesPerTable", 2, 1, 64));
  }
}
