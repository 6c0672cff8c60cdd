package io.nbnet.saver;

import io.nbnet.support.config.ConfigView;
import io.nbnet.wire.FrameServerOptions;
import io.nbnet.saver.mysql.MySqlConfig;
import io.nbnet.saver.retention.RetentionConfig;
import io.nbnet.saver.samples.BatchSettings;
import io.nbnet.saver.samples.ShardRule;

import java.util.Optional;

/** The {@code saver} section of the configuration. */
public record SaverConfig(FrameServerOptions server, MySqlConfig mysql, ShardRule shards, BatchSettings batching,
                          RetentionConfig retention, Optional<String> eventBusAddress) {

  public static final int DEFAULT_PORT = 50001;

  public static SaverConfig from(ConfigView config) {
    ConfigView samples = config.section("samples");
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
      eventBusAddress(config.section("eventBus")));
  }

  public SaverConfig withBatching(BatchSettings newBatching) {
    return new SaverConfig(server, mysql, shards, newBatching, retention, eventBusAddress);
  }

  /** In cluster mode the saver also takes frames on this event-bus address. */
  private static Optional<String> eventBusAddress(ConfigView eventBus) {
    boolean enabled = eventBus.bool("enabled", false);
    String address = eventBus.string("address", "nbnet.saver");
    return enabled ? Optional.of(address) : Optional.empty();
  }
}
