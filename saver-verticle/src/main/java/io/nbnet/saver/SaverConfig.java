package io.nbnet.saver;

import io.nbnet.saver.compaction.CompactionConfig;
import io.nbnet.saver.http.HttpConfig;
import io.nbnet.saver.layout.StorageLayout;
import io.nbnet.saver.liveness.LivenessConfig;
import io.nbnet.saver.kafka.KafkaIngestConfig;
import io.nbnet.saver.mysql.MySqlConfig;
import io.nbnet.saver.retention.RetentionConfig;
import io.nbnet.saver.staging.BatchSettings;
import io.nbnet.support.config.ConfigView;
import io.nbnet.wire.FrameServerOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code saver} section of the configuration.
 *
 * @param maxCachedSeries series ids held in memory; past it the hosts least recently seen are forgotten
 * @param kafka           when present (Kafka mode), the saver also consumes the frames topic into the shards it lists
 * @param deprecations    keys of an older nbnet that are accepted and ignored, each with why, for one log line at start
 */
public record SaverConfig(FrameServerOptions server, MySqlConfig mysql, StorageLayout layout, BatchSettings batching,
                          long maxCachedSeries, RetentionConfig retention, CompactionConfig compaction, LivenessConfig liveness,
                          HttpConfig http,
                          Optional<String> eventBusAddress, Optional<KafkaIngestConfig> kafka, List<String> deprecations) {

  public static final int DEFAULT_PORT = 50001;

  public static SaverConfig from(ConfigView config) {
    List<String> deprecations = new ArrayList<>();
    ConfigView samples = config.section("samples");
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
    BatchSettings batching = BatchSettings.from(samples);
    long maxCachedSeries = samples.longValue("maxCachedSeries", 2_000_000, 1_000, 100_000_000);
    RetentionConfig retention = RetentionConfig.from(config.section("retention"), deprecations);
    // connections: every flush at once, one for legacy rows and host activity, one spare
    int poolSize = batching.maxFlushes() + 2;
    return new SaverConfig(
      FrameServerOptions.from(config, "127.0.0.1", DEFAULT_PORT),
      MySqlConfig.from(config.section("mysql"), poolSize),
      StorageLayout.mariaDb(prefix),
      batching,
      maxCachedSeries,
      retention,
      CompactionConfig.from(config.section("compaction")),
      LivenessConfig.from(config.section("liveness")),
      HttpConfig.from(config.section("http")),
      eventBusAddress(config.section("eventBus")),
      KafkaIngestConfig.from(config, poolSize),
      List.copyOf(deprecations));
  }

  public SaverConfig withBatching(BatchSettings newBatching) {
    return new SaverConfig(server, mysql, layout, newBatching, maxCachedSeries, retention, compaction, liveness, http, eventBusAddress,
      kafka, deprecations);
  }

  /** In cluster mode the saver also takes frames on this event-bus address. */
  private static Optional<String> eventBusAddress(ConfigView eventBus) {
    boolean enabled = eventBus.bool("enabled", false);
    String address = eventBus.string("address", "nbnet.saver");
    return enabled ? Optional.of(address) : Optional.empty();
  }
}
