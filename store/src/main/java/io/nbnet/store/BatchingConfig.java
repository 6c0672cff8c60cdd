package io.nbnet.store;

import io.nbnet.support.config.ConfigView;

import java.util.Set;

/**
 * How samples are batched into the staging table.
 *
 * @param batchRows          flush a table once this many rows wait
 * @param flushMillis        or this long after the first of them arrived
 * @param maxRowsPerInsert   rows per multi-row INSERT statement
 * @param maxFlushes         flushes running at once, each on a connection of its own
 */
public record BatchingConfig(int batchRows, long flushMillis, int maxRowsPerInsert, int maxFlushes) {

  /** Where these settings live in the saver's section: a reload applies them at once. */
  public static final Set<String> HOT_KEYS = Set.of("samples.batchRows", "samples.flushMs", "samples.maxRowsPerInsert", "samples.maxFlushes");

  public static BatchingConfig from(ConfigView samples) {
    return new BatchingConfig(
      samples.integer("batchRows", 2000, 1, 1_000_000),
      samples.longValue("flushMs", 0, 0, 60_000),
      samples.integer("maxRowsPerInsert", 500, 1, 5000),
      samples.integer("maxFlushes", 4, 1, 64));
  }
}
