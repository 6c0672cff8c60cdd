package io.nbnet.store.migration;

import io.nbnet.store.tables.StorageLayout;

/** The statements of a v1 migration. A v1 table compares names with its own collation, so joins state the new one. */
final class MigrationSql {

  private MigrationSql() {
  }

  /** The v1 sample tables: {@code <prefix><number>} with the v1 columns. */
  static String legacyTables(StorageLayout layout) {
    return "SELECT `table_name` FROM information_schema.columns WHERE `table_schema` = DATABASE()"
      + " AND `table_name` REGEXP '^" + layout.prefix() + "[0-9]+$'"
      + " AND `column_name` IN ('host', 'metric', 'tags', 'ts', 'value', 'text_value')"
      + " GROUP BY `table_name` HAVING COUNT(*) = 6 ORDER BY LENGTH(`table_name`), `table_name`";
  }

  static String migrating(StorageLayout layout) {
    return layout.prefix() + "migrating";
  }

  static String progress(StorageLayout layout) {
    return layout.prefix() + "migrated";
  }

  static String createMigrating(StorageLayout layout) {
    return "CREATE TABLE IF NOT EXISTS `" + migrating(layout) + "` LIKE `" + layout.compacting() + "`";
  }

  static String createProgress(StorageLayout layout) {
    return "CREATE TABLE IF NOT EXISTS `" + progress(layout) + "` ("
      + "`source` VARCHAR(64) NOT NULL COMMENT 'the v1 table',"
      + "`chunk_start` BIGINT NOT NULL COMMENT 'epoch ms of the migrated stretch',"
      + "`samples` BIGINT NOT NULL,"
      + "`migrated_at` BIGINT NOT NULL COMMENT 'epoch ms',"
      + "PRIMARY KEY (`source`, `chunk_start`)"
      + ") " + layout.tableOptions(false);
  }

  static String timeRange(String table) {
    return "SELECT MIN(`ts`), MAX(`ts`) FROM `" + table + "`";
  }

  static String chunksDone(StorageLayout layout) {
    return "SELECT `chunk_start` FROM `" + progress(layout) + "` WHERE `source` = ?";
  }

  static String recordChunk(StorageLayout layout) {
    return "INSERT INTO `" + progress(layout) + "` (`source`, `chunk_start`, `samples`, `migrated_at`) VALUES (?, ?, ?, ?)"
      + " ON DUPLICATE KEY UPDATE `samples` = VALUES(`samples`), `migrated_at` = VALUES(`migrated_at`)";
  }

  /** Parameters: first_received, last_received, chunk start, chunk end. */
  static String insertHosts(StorageLayout layout, String table) {
    return "INSERT IGNORE INTO `" + layout.hosts() + "` (`host`, `first_received`, `last_received`, `last_ts`)"
      + " SELECT DISTINCT `host`, ?, ?, 0 FROM `" + table + "` WHERE `ts` >= ? AND `ts` < ?";
  }

  /** Parameters: chunk start, chunk end. */
  static String insertSeries(StorageLayout layout, String table) {
    return "INSERT IGNORE INTO `" + layout.series() + "` (`host_id`, `metric`, `tags`)"
      + " SELECT DISTINCT h.`host_id`, v.`metric`, v.`tags` FROM `" + table + "` v " + joinHosts(layout)
      + " WHERE v.`ts` >= ? AND v.`ts` < ?";
  }

  /** Parameters: chunk start, chunk end. */
  static String copyRows(StorageLayout layout, String table) {
    String collation = layout.collation();
    return "INSERT IGNORE INTO `" + migrating(layout) + "` (`host_id`, `ts`, `series_id`, `value`, `text_value`)"
      + " SELECT h.`host_id`, v.`ts`, s.`series_id`, v.`value`, v.`text_value` FROM `" + table + "` v " + joinHosts(layout)
      + " JOIN `" + layout.series() + "` s ON s.`host_id` = h.`host_id` AND s.`metric` = v.`metric` COLLATE " + collation
      + " AND s.`tags` = v.`tags` COLLATE " + collation
      + " WHERE v.`ts` >= ? AND v.`ts` < ?";
  }

  private static String joinHosts(StorageLayout layout) {
    return "JOIN `" + layout.hosts() + "` h ON h.`host` = v.`host` COLLATE " + layout.collation();
  }
}
