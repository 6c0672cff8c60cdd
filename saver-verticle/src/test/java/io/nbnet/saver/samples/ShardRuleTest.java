package io.nbnet.saver.samples;

import io.nbnet.formats.Sample;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardRuleTest {

  @Test
  @DisplayName("host-family: crc32(host/family) mod shards, so one host spreads over tables and a series stays in one")
  void shardsByHostAndFamily() {
    ShardRule rule = new ShardRule("samples_", 4, ShardRule.ShardBy.HOST_FAMILY);
    assertEquals(crc("web-1/cpu") % 4, rule.tableIndex(sample("web-1", "cpu.user")));
    assertEquals(rule.tableIndex(sample("web-1", "cpu.user")), rule.tableIndex(sample("web-1", "cpu.idle")));
    Set<Integer> tables = new HashSet<>();
    for (String family : List.of("cpu", "mem", "load", "disk", "fs", "net", "tcp", "proc", "uptime")) {
      tables.add(rule.tableIndex(sample("web-1", family + ".x")));
    }
    assertTrue(tables.size() > 1);
    assertEquals("samples_all", rule.viewName());
    assertEquals(List.of("samples_0", "samples_1", "samples_2", "samples_3"), rule.tables());
  }

  @Test
  @DisplayName("host: crc32(host) mod shards, all of a host in one table")
  void shardsByHost() {
    ShardRule rule = new ShardRule("m_", 8, ShardRule.ShardBy.HOST);
    assertEquals(crc("web-1") % 8, rule.tableIndex(sample("web-1", "cpu.user")));
    assertEquals(rule.tableIndex(sample("web-1", "cpu.user")), rule.tableIndex(sample("web-1", "mem.used")));
  }

  private static Sample sample(String host, String metric) {
    return Sample.numeric(host, 1, metric, "", 1);
  }

  private static long crc(String key) {
    CRC32 crc = new CRC32();
    crc.update(key.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
