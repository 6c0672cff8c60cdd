package io.nbnet.saver;

import io.nbnet.support.config.ConfigException;
import io.nbnet.support.config.ConfigView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaIngestConfigTest {

  @Test
  @DisplayName("the shard map: ranges and single partitions, each partition to exactly one shard")
  void shardMap() {
    KafkaIngestConfig config = parse(shards(shard("a", "0-2", "5"), shard("b", "3", "4"))).orElseThrow();
    assertEquals(Set.of(0, 1, 2, 5), config.shards().get(0).partitions());
    assertEquals("b", config.shardOf(4).orElseThrow().name());
    assertTrue(config.shardOf(6).isEmpty());
    assertEquals("nbnet-frames", config.topic());
    assertEquals("nbnet-savers", config.group());
  }

  @Test
  @DisplayName("a partition in two shards, a bad range, no shards or no bootstrap are refused at start")
  void refusals() {
    ConfigException twice = assertThrows(ConfigException.class, () -> parse(shards(shard("a", "0-3"), shard("b", "3-5"))));
    assertTrue(twice.getMessage().contains("partition 3 belongs to shard a already"), twice.getMessage());
    assertThrows(ConfigException.class, () -> parse(shards(shard("a", "5-2"))));
    assertThrows(ConfigException.class, () -> parse(shards()));
    assertThrows(ConfigException.class, () -> ConfigView.parse(new JsonObject().put("kafka", new JsonObject()
      .put("shards", new JsonArray().add(shard("a", "0")))), "saver", view -> KafkaIngestConfig.from(view, 4)));
  }

  private static java.util.Optional<KafkaIngestConfig> parse(JsonArray shards) {
    JsonObject saver = new JsonObject().put("kafka", new JsonObject().put("bootstrap", "127.0.0.1:9092").put("shards", shards));
    return ConfigView.parse(saver, "saver", view -> KafkaIngestConfig.from(view, 4));
  }

  private static JsonArray shards(JsonObject... shards) {
    JsonArray array = new JsonArray();
    for (JsonObject shard : shards) {
      array.add(shard);
    }
    return array;
  }

  private static JsonObject shard(String name, String... partitions) {
    return new JsonObject().put("name", name).put("partitions", new JsonArray(java.util.List.of((Object[]) partitions)))
      .put("mysql", new JsonObject().put("database", "nbnet_" + name));
  }
}
