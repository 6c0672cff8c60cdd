package io.nbnet.saver.mysql;

import io.nbnet.saver.retention.DayPartitions;
import io.nbnet.saver.samples.ShardRule;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every SQL text the saver runs. Table and database names come from validated config (letters,
 * digits, underscores) or from the shard rules, never from frame content.
 */
public final class SqlQueries {

  public static final int LEGACY_TABLES = 4;

  private SqlQueries() {
  }

  /**
   * Every table and view the saver needs, in order: deploy/create.sql holds exactly these statements
   * for the default configuration (a test keeps the two equal). Sample tables start with the
   * catch-all partition only; the RetentionManager splits day partitions off it.
   */
  public static List<String> createTables(ShardRule shards) {
    List<String> statements = new ArrayList<>();
    for (int i = 0; i < LEGACY_TABLES; i++) {
      statements.add(createLegacyTable(i));
    }
    String partitioning = DayPartitions.catchAllOnly();
    shards.tables().forEach(table -> statements.add(createSampleTable(table, partitioning)));
    statements.add(createSamplesView(shards.viewName(), shards.tables()));
    return statements;
  }

  public static String createDatabase(String database) {
    return "CREATE DATABASE IF NOT EXISTS `" + database + "` CHARACTER SET utf8mb4";
  }

  /**
   * The legacy nbNet table, column for column. The unique key on host and time (an index, not a
   * column) makes a replayed legacy frame store nothing.
   */
  public static String createLegacyTable(int index) {
    return "CREATE TABLE IF NOT EXISTS `" + legacyTable(index) + "` ("
      + "`id` INT UNSIGNED NOT NULL AUTO_INCREMENT,"
      + "`host` VARCHAR(256) DEFAULT NULL,"
      + "`mem_free` INT DEFAULT NULL,"
      + "`mem_usage` INT DEFAULT NULL,"
      + "`mem_total` INT DEFAULT NULL,"
      + "`load_avg` VARCHAR(128) DEFAULT NULL,"
      + "`time` BIGINT DEFAULT NULL,"
      + "`user_define` VARCHAR(4096) DEFAULT '',"
      + "PRIMARY KEY (`id`),"
      + "KEY `host` (`host`(255)),"
      + "UNIQUE KEY `host_time` (`host`(255), `time`)"
      + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
  }

  public static String legacyTable(int index) {
    return "stat_" + index;
  }

  public static String insertLegacy(int index) {
    return "INSERT INTO `" + legacyTable(index) + "` (`host`, `mem_free`, `mem_usage`, `mem_total`, `load_avg`, `time`, `user_define`)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE `id` = `id`";
  }

  /**
   * A native sample table. The primary key is the sample's identity, so storing a replayed frame
   * changes nothing; binary collation keeps {@code Host1} and {@code host1} apart. The key holds
   * {@code ts}, so the table can be partitioned by day on it ({@code partitioning}, may be empty).
   */
  public static String createSampleTable(String table, String partitioning) {
    return "CREATE TABLE IF NOT EXISTS `" + table + "` ("
      + "`host` VARCHAR(255) NOT NULL,"
      + "`metric` VARCHAR(128) NOT NULL,"
      + "`tags` VARCHAR(255) NOT NULL DEFAULT '',"
      + "`ts` BIGINT NOT NULL COMMENT 'sample time, epoch milliseconds',"
      + "`value` DOUBLE NULL,"
      + "`text_value` VARCHAR(1024) NULL,"
      + "PRIMARY KEY (`host`, `metric`, `tags`, `ts`)"
      + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" + partitioning;
  }

  /** One view over all shards, so a person can query samples without knowing the shard rule. */
  public static String createSamplesView(String view, List<String> tables) {
    return "CREATE OR REPLACE VIEW `" + view + "` AS " + tables.stream()
      .map(table -> "SELECT `host`, `metric`, `tags`, `ts`, `value`, `text_value`, '" + table + "' AS `shard` FROM `" + table + "`")
      .collect(Collectors.joining(" UNION ALL "));
  }

  /**
   * A multi-row INSERT of {@code rows} samples. A duplicate key (a replayed sample) keeps the stored
   * row; unlike INSERT IGNORE this still fails loudly on data MySQL would otherwise truncate.
   */
  public static String insertSamples(String table, int rows) {
    StringBuilder sql = new StringBuilder(96 + rows * 20)
      .append("INSERT INTO `").append(table).append("` (`host`, `metric`, `tags`, `ts`, `value`, `text_value`) VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "(?,?,?,?,?,?)" : ",(?,?,?,?,?,?)");
    }
    return sql.append(" ON DUPLICATE KEY UPDATE `ts` = `ts`").toString();
  }

  public static String countRows(String table) {
    return "SELECT COUNT(*) FROM `" + table + "`";
  }
}
