package io.nbnet.store;

import io.nbnet.store.tables.StorageLayout;
import io.nbnet.support.config.ConfigView;

import java.util.List;

/**
 * How a store keeps samples, whatever database it is given: its tables' names, how writes are batched,
 * how many series ids it caches, how long each tier is kept and when windows are compacted. Read from
 * the saver's {@code samples}, {@code retention}, {@code compaction}, {@code limits} and {@code head} sections; every Kafka
 * shard uses the same (without a head: a shard's database has other writers).
 *
 * @param maxCachedSeries series ids held in memory; past it the hosts least recently seen are forgotten
 * @param limits          series a sender may make ({@code saver.limits})
 * @param head            the newest samples kept in memory too ({@code saver.head})
 */
public record StoreConfig(StorageLayout layout, BatchingConfig batching, long maxCachedSeries, RetentionConfig retention,
                          CompactionConfig compaction, LimitsConfig limits, HeadConfig head) {

  /**
   * Reads the store's sections of {@code saver}.
   *
   * @param deprecations collects keys of an older nbnet that are accepted and ignored, each with why
   */
  public static StoreConfig from(ConfigView saver, List<String> deprecations) {
    ConfigView samples = saver.section("samples");
    String prefix = samples.string("tablePrefix", "samples_", "[a-z][a-z0-9_]{0,40}",
      "a lower-case name prefix of letters, digits and underscores");
    if (prefix.startsWith("stat_")) {
      throw samples.error("tablePrefix", "\"" + prefix + "\" would name tables like the legacy stat_N tables; choose another prefix");
    }
    for (String old : List.of("shards", "shardBy", "maxFlushesPerTable")) {
      if (samples.has(old)) {
        deprecations.add(samples.path() + "." + old + " is no longer used: samples are one table per tier now");
      }
    }
    return new StoreConfig(
      StorageLayout.mariaDb(prefix),
      BatchingConfig.from(samples),
      samples.longValue("maxCachedSeries", 2_000_000, 1_000, 100_000_000),
      RetentionConfig.from(saver.section("retention"), deprecations),
      CompactionConfig.from(saver.section("compaction")),
      LimitsConfig.from(saver.section("limits")),
      HeadConfig.from(saver.section("head")));
  }

  /** Connections a store's write pool needs: every flush at once, one for legacy rows and host activity, one spare. */
  public int writeConnections() {
    return batching.maxFlushes() + 2;
  }

  public StoreConfig withBatching(BatchingConfig newBatching) {
    return new StoreConfig(layout, newBatching, maxCachedSeries, retention, compaction, limits, head);
  }

  public StoreConfig withoutHead() {
    return new StoreConfig(layout, batching, maxCachedSeries, retention, compaction, limits,
      new HeadConfig(false, head.spanMillis(), head.maxBytes()));
  }
}
