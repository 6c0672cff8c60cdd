package io.nbnet.saver.samples;

import io.nbnet.support.config.ConfigView;
import io.nbnet.formats.Sample;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Which table a native sample goes to: {@code <prefix><n>} with {@code n = crc32(key) mod shards}.
 * The key is the host alone ({@code host}), or the host and the metric family, the part of the
 * metric name before its first dot ({@code host-family}: {@code crc32(host + "/" + family)}), which
 * spreads one host's metrics over several tables while every series stays in one.
 */
public final class ShardRule {

  public enum ShardBy { HOST, HOST_FAMILY }

  private final String prefix;
  private final int shards;
  private final ShardBy shardBy;
  private final List<String> tables;

  public ShardRule(String prefix, int shards, ShardBy shardBy) {
    this.prefix = prefix;
    this.shards = shards;
    this.shardBy = shardBy;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      names.add(prefix + i);
    }
    this.tables = List.copyOf(names);
  }

  public static ShardRule from(ConfigView config) {
    String prefix = config.string("tablePrefix", "samples_", "[a-z][a-z0-9_]{0,40}",
      "a lower-case name prefix of letters, digits and underscores");
    if (prefix.startsWith("stat_")) {
      throw config.error("tablePrefix", "\"" + prefix + "\" would name tables like the legacy stat_N tables; choose another prefix");
    }
    return new ShardRule(prefix, config.integer("shards", 4, 1, 1024), config.choice("shardBy", ShardBy.HOST_FAMILY, ShardBy.class));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ShardRule rule && rule.prefix.equals(prefix) && rule.shards == shards && rule.shardBy == shardBy;
  }

  @Override
  public int hashCode() {
    return Objects.hash(prefix, shards, shardBy);
  }

  public int tableIndex(Sample sample) {
    return tableIndex(sample.host(), sample.family());
  }

  public int tableIndex(String host, String family) {
    CRC32 crc = new CRC32();
    crc.update(host.getBytes(StandardCharsets.UTF_8));
    if (shardBy == ShardBy.HOST_FAMILY) {
      crc.update('/');
      crc.update(family.getBytes(StandardCharsets.UTF_8));
    }
    return (int) (crc.getValue() % shards);
  }

  public String table(int index) {
    return tables.get(index);
  }

  public List<String> tables() {
    return tables;
  }

  public int shards() {
    return shards;
  }

  /** The view that unions all shard tables. */
  public String viewName() {
    return prefix + "all";
  }
}
