package io.nbnet.saver;

import io.nbnet.remotewrite.RemoteWriteLimits;
import io.nbnet.store.BatchingConfig;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.StoreConfig;
import io.nbnet.support.config.ConfigView;
import io.nbnet.wire.EventBusConfig;
import io.nbnet.wire.FrameServerConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code saver} section of the configuration.
 *
 * @param eventBus     in cluster mode the saver also takes frames on this event-bus address
 * @param store        how samples are kept ({@code samples}, {@code retention}, {@code compaction}), in every database
 * @param kafka        when present (Kafka mode), the saver also consumes the frames topic into the shards it lists
 * @param remoteWrite  what one Prometheus remote write request to the {@code http} port may hold
 * @param rules        alerting and recording rules the saver evaluates, and where alerts go
 * @param deprecations keys of an older nbnet that are accepted and ignored, each with why, for one log line at start
 */
public record SaverConfig(FrameServerConfig server, MySqlConfig mysql, StoreConfig store, LivenessConfig liveness, HttpConfig http,
                          Optional<EventBusConfig> eventBus, Optional<KafkaIngestConfig> kafka, RemoteWriteLimits remoteWrite,
                          RulesConfig rules, List<String> deprecations) {

  public static final int DEFAULT_PORT = 50001;

  public static SaverConfig from(ConfigView config) {
    List<String> deprecations = new ArrayList<>();
    StoreConfig store = StoreConfig.from(config, deprecations);
    return new SaverConfig(
      FrameServerConfig.from(config, "127.0.0.1", DEFAULT_PORT),
      MySqlConfig.from(config.section("mysql"), store.writeConnections()),
      store,
      LivenessConfig.from(config.section("liveness")),
      HttpConfig.from(config.section("http")),
      EventBusConfig.from(config),
      KafkaIngestConfig.from(config, store.writeConnections()),
      RemoteWriteLimits.from(config.section("remoteWrite")),
      RulesConfig.from(config.section("rules"), store.batching().flushMillis()),
      List.copyOf(deprecations));
  }

  public SaverConfig withMysql(MySqlConfig newMysql) {
    return new SaverConfig(server, newMysql, store, liveness, http, eventBus, kafka, remoteWrite, rules, deprecations);
  }

  public SaverConfig withBatching(BatchingConfig newBatching) {
    return new SaverConfig(server, mysql, store.withBatching(newBatching), liveness, http, eventBus, kafka, remoteWrite, rules, deprecations);
  }

}
