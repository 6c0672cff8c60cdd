package io.nbnet.trans;

import io.nbnet.support.config.ConfigView;
import io.nbnet.wire.tls.ClientTls;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code trans.kafka} section: when present, trans publishes frames to a Kafka topic keyed by host
 * instead of sending them to savers.
 *
 * @param bootstrap      the brokers, {@code host:port[,host:port...]}
 * @param topic          the topic of frames; partitioned by host (Kafka's key hash), so one host stays in order on one partition
 * @param tls            TLS (and a client certificate) toward the brokers; plaintext when absent
 * @param timeoutMillis  how long a frame may wait for the brokers' acknowledgement before the sender is told {@code ERR unavailable}
 *                       (and the spool, when configured, keeps it)
 */
public record KafkaConfig(String bootstrap, String topic, long timeoutMillis, Optional<ClientTls> tls) {

  /** The most a producer batch of one partition holds (a larger frame goes in a batch of its own). */
  private static final int BATCH_BYTES = 256 * 1024;

  static Optional<KafkaConfig> from(ConfigView parent) {
    if (!parent.has("kafka")) {
      return Optional.empty();
    }
    ConfigView config = parent.section("kafka");
    String bootstrap = config.optionalString("bootstrap").orElseThrow(() -> config.error("bootstrap", "is required (host:port of the brokers)"));
    return Optional.of(new KafkaConfig(bootstrap, config.string("topic", "nbnet-frames"),
      config.longValue("timeoutMs", 10_000, 1_000, 600_000), ClientTls.from(config, "tls")));
  }

  /** An idempotent producer that waits for every in-sync replica: an OK to the sender means the log holds the frame. */
  Map<String, String> producerProperties() {
    Map<String, String> properties = new HashMap<>();
    properties.put("bootstrap.servers", bootstrap);
    properties.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    properties.put("value.serializer", "io.vertx.kafka.client.serialization.BufferSerializer");
    properties.put("acks", "all");
    properties.put("enable.idempotence", "true");
    properties.put("max.in.flight.requests.per.connection", "5");
    properties.put("linger.ms", "5");
    // a collector's frame is ~10 KB: at the default 16 KB a batch held one frame, each compressed and sent
    // on its own; frames of one partition in one batch cost the producer and the broker a fraction of that
    properties.put("batch.size", String.valueOf(BATCH_BYTES));
    properties.put("compression.type", "lz4");
    properties.put("delivery.timeout.ms", String.valueOf(timeoutMillis));
    properties.put("request.timeout.ms", String.valueOf(timeoutMillis / 2)); // Kafka wants delivery >= linger + request
    properties.put("max.block.ms", String.valueOf(timeoutMillis));
    tls.ifPresent(settings -> properties.putAll(settings.kafkaProperties()));
    return properties;
  }
}
