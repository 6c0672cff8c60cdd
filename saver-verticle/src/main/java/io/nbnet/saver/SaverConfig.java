package io.nbnet.saver;

import io.nbnet.support.config.ConfigView;
import io.nbnet.wire.FrameServerOptions;
import io.nbnet.saver.mysql.MySqlConfig;
import io.nbnet.saver.retention.RetentionConfig;
import io.nbnet.saver.samples.BatchSettings;
import io.nbnet.saver.samples.ShardRule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The {@code saver} section of the configuration. */
public record SaverConfig(FrameServerOptions server, MySqlConfig mysql, ShardRule shards, BatchSettings batching,
                          RetentionConfig retention, String eventBusAddress) {

  public static final int DEFAULT_PORT = 50001;

  public static SaverConfig from(ConfigView config) {
    List<String> keys = new ArrayList<>(Arrays.asList(FrameServerOptions.KEYS));
    keys.addAll(List.of("mysql", "samples", "retention", "eventBus"));
    config.allowOnly(keys.toArray(String[]::new));
    ConfigView samples = config.section("samples");
    List<String> sampleKeys = new ArrayList<>(List.of("tablePrefix", "shards", "shardBy"));
    sampleKeys.addAll(Arrays.asList(BatchSettings.KEYS));
    samples.allowOnly(sampleKeys.toArray(String[]::new));
    ShardRule shards = ShardRule.from(samples);
    BatchSettings batching = BatchSettings.from(samples);
    // enough connections for every table's flushes at once, plus one for legacy rows
    int poolSize = shards.shards() * batching.maxFlushesPerTable() + 1;
    return new SaverConfig(
      FrameServerOptions.from(config, "127.0.0.1", DEFAULT_PORT),
      MySqlConfig.from(config.section("mysql"), poolSize),
      shards,
      batching,
      RetentionConfig.from(config.section("retention")),
      eventBusAddress(config.section("eventBus").allowOnly("enabled", "address")));
  }

  /** In cluster mode the saver also takes frames on this event-bus address; null when off. */
  private static String eventBusAddress(ConfigView eventBus) {
    return eventBus.bool("enabled", false) ? eventBus.string("address", "nbnet.saver") : null;
  }
}
