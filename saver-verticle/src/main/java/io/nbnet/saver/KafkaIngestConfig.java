package io.nbnet.saver;

import io.nbnet.store.MySqlConfig;
import io.nbnet.support.config.ConfigView;
import io.nbnet.wire.tls.ClientTls;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code saver.kafka} section: the saver consumes the frames topic as one member of a consumer
 * group, and stores each partition's frames in the shard that owns the partition (a static map: a
 * host's partition, so its shard, never changes while the topic keeps its partition count).
 *
 * @param sessionTimeoutMillis how long the group waits for a saver that stopped answering (killed) before its
 *                             partitions move to the others
 * @param tls TLS (and a client certificate) toward the brokers; plaintext when absent
 * @param retryMillis how long a partition whose shard refused a frame waits before the frame is tried again
 * @param deadLetterTopic where a frame a shard refuses for good goes, with the reason in its headers
 */
public record KafkaIngestConfig(String bootstrap, String topic, String group, long retryMillis, int maxPollRecords,
                                long sessionTimeoutMillis, Optional<ClientTls> tls, List<Shard> shards, String deadLetterTopic) {

  /** @param partitions the topic's partitions this shard stores */
  public record Shard(String name, Set<Integer> partitions, MySqlConfig mysql) {
  }

  public static Optional<KafkaIngestConfig> from(ConfigView parent, int poolSize) {
    if (!parent.has("kafka")) {
      return Optional.empty();
    }
    ConfigView config = parent.section("kafka");
    String bootstrap = config.optionalString("bootstrap").orElseThrow(() -> config.error("bootstrap", "is required (host:port of the brokers)"));
    List<Shard> shards = new ArrayList<>();
    Map<Integer, String> owners = new HashMap<>();
    for (ConfigView shard : config.sections("shards")) {
      String name = shard.string("name", "", "[a-z0-9_-]{1,32}", "a shard name of 1-32 lower-case letters, digits, '_' or '-'");
      Set<Integer> partitions = new TreeSet<>();
      for (String range : shard.strings("partitions", List.of())) {
        partitions.addAll(parseRange(shard, range));
      }
      if (partitions.isEmpty()) {
        throw shard.error("partitions", "lists no partition, e.g. [\"0-5\"] or [\"0\", \"3\"]");
      }
      for (int partition : partitions) {
        String other = owners.put(partition, name);
        if (other != null) {
          throw shard.error("partitions", "partition " + partition + " belongs to shard " + other + " already");
        }
      }
      shards.add(new Shard(name, Set.copyOf(partitions), MySqlConfig.from(shard.section("mysql"), poolSize)));
    }
    if (shards.isEmpty()) {
      throw config.error("shards", "needs at least one shard: {\"name\", \"partitions\", \"mysql\"}");
    }
    for (int partition = 0; partition < owners.size(); partition++) {
      if (!owners.containsKey(partition)) {
        throw config.error("shards", "must cover partitions 0 to N-1 of the topic (all of them, N = its partition count); "
          + partition + " is in no shard");
      }
    }
    String topic = config.string("topic", "nbnet-frames");
    return Optional.of(new KafkaIngestConfig(bootstrap, topic, config.string("group", "nbnet-savers"),
      config.longValue("retryMs", 1_000, 10, 600_000), config.integer("maxPollRecords", 500, 1, 100_000),
      config.longValue("sessionTimeoutMs", 10_000, 6_000, 300_000), ClientTls.from(config, "tls"), List.copyOf(shards),
      config.string("deadLetterTopic", topic + "-dead-letters")));
  }

  /** The topic's partitions: the shards cover 0 to this - 1. */
  public int partitionCount() {
    return shards.stream().mapToInt(shard -> shard.partitions().size()).sum();
  }

  /** The shard that stores a host: the one owning the partition Kafka's default partitioner gives the host's key. */
  public String shardOfHost(String host) {
    int partition = Utils.toPositive(Utils.murmur2(host.getBytes(StandardCharsets.UTF_8))) % partitionCount();
    return shardOf(partition).orElseThrow().name();
  }

  /** The shard that stores a partition, if any. */
  public Optional<Shard> shardOf(int partition) {
    return shards.stream().filter(shard -> shard.partitions().contains(partition)).findFirst();
  }

  public Map<String, String> consumerProperties() {
    Map<String, String> properties = new HashMap<>();
    properties.put("bootstrap.servers", bootstrap);
    properties.put("group.id", group);
    properties.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    properties.put("value.deserializer", "io.vertx.kafka.client.serialization.BufferDeserializer");
    properties.put("enable.auto.commit", "false");
    properties.put("auto.offset.reset", "earliest");
    properties.put("max.poll.records", String.valueOf(maxPollRecords));
    properties.put("session.timeout.ms", String.valueOf(sessionTimeoutMillis));
    properties.put("heartbeat.interval.ms", String.valueOf(sessionTimeoutMillis / 3));
    tls.ifPresent(settings -> properties.putAll(settings.kafkaProperties()));
    properties.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    return properties;
  }

  /** The producer of dead letters: each one acknowledged by every in-sync replica before its offset is committed. */
  public Map<String, String> deadLetterProducerProperties() {
    Map<String, String> properties = new HashMap<>();
    properties.put("bootstrap.servers", bootstrap);
    properties.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    properties.put("value.serializer", "io.vertx.kafka.client.serialization.BufferSerializer");
    properties.put("acks", "all");
    properties.put("max.block.ms", "10000");
    properties.put("delivery.timeout.ms", "30000");
    properties.put("request.timeout.ms", "10000");
    tls.ifPresent(settings -> properties.putAll(settings.kafkaProperties()));
    return properties;
  }

  private static Set<Integer> parseRange(ConfigView shard, String range) {
    try {
      int dash = range.indexOf('-');
      int from = Integer.parseInt(dash < 0 ? range.trim() : range.substring(0, dash).trim());
      int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1).trim());
      if (from < 0 || to < from || to - from > 100_000) {
        throw new NumberFormatException();
      }
      Set<Integer> partitions = new TreeSet<>();
      for (int p = from; p <= to; p++) {
        partitions.add(p);
      }
      return partitions;
    } catch (NumberFormatException e) {
      throw shard.error("partitions", "\"" + range + "\" is not a partition or a range like \"0-5\"");
    }
  }
}
