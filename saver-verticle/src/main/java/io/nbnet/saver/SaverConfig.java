package io.nbnet.saver;

import io.nbnet.config.ConfigView;
import io.nbnet.protocol.FrameServerOptions;
import io.nbnet.saver.mysql.MySqlConfig;
import io.nbnet.saver.samples.ShardRule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The {@code saver} section of the configuration. */
public record SaverConfig(FrameServerOptions server, MySqlConfig mysql, ShardRule shards, int maxRowsPerInsert) {

  public static final int DEFAULT_PORT = 50001;

  public static SaverConfig from(ConfigView config) {
    List<String> keys = new ArrayList<>(Arrays.asList(FrameServerOptions.KEYS));
    keys.addAll(List.of("mysql", "samples"));
    config.allowOnly(keys.toArray(String[]::new));
    ConfigView samples = config.section("samples").allowOnly("tablePrefix", "shards", "shardBy", "maxRowsPerInsert");
    return new SaverConfig(
      FrameServerOptions.from(config, "127.0.0.1", DEFAULT_PORT),
      MySqlConfig.from(config.section("mysql")),
      ShardRule.from(samples),
      samples.integer("maxRowsPerInsert", 500, 1, 5000));
  }
}
