package io.nbnet.store.legacy;

import io.nbnet.store.tables.StorageLayout;

/** The SQL of the legacy {@code stat_N} tables, column for column what the old dashboards read. */
public final class LegacySql {

  private LegacySql() {
  }

  /**
   * The legacy nbNet table. The unique key on host and time (an index, not a column) makes a
   * replayed legacy frame store nothing; {@code host} compares bytes, with no padding, so
   * {@code WEB1}, {@code web1} and {@code web1 } are three hosts.
   */
  public static String createLegacyTable(int index, String hostCollation) {
    return "CREATE TABLE IF NOT EXISTS `" + StorageLayout.legacyTable(index) + "` ("
      + "`id` INT UNSIGNED NOT NULL AUTO_INCREMENT,"
      + "`host` VARCHAR(256) COLLATE " + hostCollation + " DEFAULT NULL,"
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

  static String insertLegacy(int index) {
    return "INSERT INTO `" + StorageLayout.legacyTable(index) + "` (`host`, `mem_free`, `mem_usage`, `mem_total`, `load_avg`, `time`, `user_define`)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE `id` = `id`";
  }

  /** The legacy tables whose host column pads or folds (created by an older nbnet, or by the old system). */
  public static String paddingHostColumns() {
    return "SELECT TABLE_NAME, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
      + " AND TABLE_NAME IN ('stat_0', 'stat_1', 'stat_2', 'stat_3') AND COLUMN_NAME = 'host'"
      + " AND COLLATION_NAME NOT IN ('utf8mb4_nopad_bin', 'utf8mb4_0900_bin')";
  }
}
