package io.nbnet.saver.compaction;

import io.nbnet.saver.layout.StorageLayout;
import io.nbnet.saver.layout.Windows;

/**
 * The SQL of compacted data: raw blocks and the two rollup tiers. Raw blocks and 5-minute rollups
 * are keyed by time first, so compaction appends a window's rows at the end of the table instead of
 * touching one page per series; the hour tier, written once an hour, is keyed by series first, so a
 * month of one series is one stretch to read.
 */
public final class CompactionSql {

  private CompactionSql() {
  }

  public static String createWindows(StorageLayout layout) {
    return "CREATE TABLE IF NOT EXISTS `" + layout.windows() + "` ("
      + "`window_start` BIGINT NOT NULL COMMENT 'epoch ms of a compacted window',"
      + "PRIMARY KEY (`window_start`)"
      + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=" + layout.collation();
  }

  public static String createRaw(StorageLayout layout, String partitioning) {
    return "CREATE TABLE IF NOT EXISTS `" + layout.raw() + "` ("
      + "`window_start` BIGINT NOT NULL COMMENT 'epoch ms, a multiple of " + Windows.WINDOW_MILLIS + "',"
      + "`series_id` INT UNSIGNED NOT NULL,"
      + "`samples` MEDIUMINT UNSIGNED NOT NULL,"
      + "`points` BLOB NOT NULL COMMENT 'COMPRESS()ed JSON: [[ms after window_start, value], [ms, null, text], ...]',"
      + "PRIMARY KEY (`window_start`, `series_id`)"
      + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=" + layout.collation() + partitioning;
  }

  public static String createRollup5m(StorageLayout layout, String partitioning) {
    return "CREATE TABLE IF NOT EXISTS `" + layout.rollup5m() + "` ("
      + "`bucket` BIGINT NOT NULL COMMENT 'epoch ms of the 5-minute window',"
      + "`series_id` INT UNSIGNED NOT NULL,"
      + rollupColumns()
      + "PRIMARY KEY (`bucket`, `series_id`)"
      + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=" + layout.collation() + partitioning;
  }

  public static String createRollup1h(StorageLayout layout, String partitioning) {
    return "CREATE TABLE IF NOT EXISTS `" + layout.rollup1h() + "` ("
      + "`series_id` INT UNSIGNED NOT NULL,"
      + "`bucket` BIGINT NOT NULL COMMENT 'epoch ms of the hour',"
      + rollupColumns()
      + "PRIMARY KEY (`series_id`, `bucket`)"
      + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=" + layout.collation() + partitioning;
  }

  private static String rollupColumns() {
    return "`min` DOUBLE NOT NULL,"
      + "`max` DOUBLE NOT NULL,"
      + "`sum` DOUBLE NOT NULL,"
      + "`count` INT UNSIGNED NOT NULL,"
      + "`last` DOUBLE NOT NULL COMMENT 'the value of the newest sample',";
  }

  static String exchange(StorageLayout layout, int slot) {
    return "ALTER TABLE `" + layout.recent() + "` EXCHANGE PARTITION " + Windows.slotName(slot) + " WITH TABLE `" + layout.compacting() + "`";
  }

  static String truncateCompacting(StorageLayout layout) {
    return "TRUNCATE TABLE `" + layout.compacting() + "`";
  }

  static String anyRowInSlot(StorageLayout layout, int slot) {
    return "SELECT 1 FROM `" + layout.recent() + "` PARTITION (" + Windows.slotName(slot) + ") LIMIT 1";
  }

  static String anyRowCompacting(StorageLayout layout) {
    return "SELECT 1 FROM `" + layout.compacting() + "` LIMIT 1";
  }

  /** The next stretch of the swapped-out window, host by host, in key order. */
  static String readCompacting(StorageLayout layout) {
    return "SELECT `host_id`, `ts`, `series_id`, `value`, `text_value` FROM `" + layout.compacting() + "`"
      + " WHERE `host_id` >= ? ORDER BY `host_id`, `ts`, `series_id` LIMIT ?";
  }

  static String readCompactingHost(StorageLayout layout) {
    return "SELECT `host_id`, `ts`, `series_id`, `value`, `text_value` FROM `" + layout.compacting() + "`"
      + " WHERE `host_id` = ? ORDER BY `ts`, `series_id`";
  }

  static String selectBlocks(StorageLayout layout, int series) {
    return "SELECT `series_id`, `points` FROM `" + layout.raw() + "` WHERE `window_start` = ? AND `series_id` IN ("
      + "?,".repeat(series - 1) + "?)";
  }

  static String upsertBlocks(StorageLayout layout, int rows) {
    StringBuilder sql = new StringBuilder("INSERT INTO `").append(layout.raw())
      .append("` (`window_start`, `series_id`, `samples`, `points`) VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "(?,?,?,?)" : ",(?,?,?,?)");
    }
    return sql.append(" ON DUPLICATE KEY UPDATE `samples` = VALUES(`samples`), `points` = VALUES(`points`)").toString();
  }

  static String upsertRollup(String table, boolean bucketFirst, int rows) {
    StringBuilder sql = new StringBuilder("INSERT INTO `").append(table).append(bucketFirst ? "` (`bucket`, `series_id`," : "` (`series_id`, `bucket`,")
      .append(" `min`, `max`, `sum`, `count`, `last`) VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "(?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?)");
    }
    return sql.append(" ON DUPLICATE KEY UPDATE `min` = VALUES(`min`), `max` = VALUES(`max`), `sum` = VALUES(`sum`),"
      + " `count` = VALUES(`count`), `last` = VALUES(`last`)").toString();
  }

  static String insertWindow(StorageLayout layout) {
    return "INSERT IGNORE INTO `" + layout.windows() + "` (`window_start`) VALUES (?)";
  }

  /** The 5-minute rollups of an hour for a range of series, to build the hour's rollup from. */
  static String selectHourOf5m(StorageLayout layout) {
    return "SELECT `bucket`, `series_id`, `min`, `max`, `sum`, `count`, `last` FROM `" + layout.rollup5m() + "`"
      + " WHERE `bucket` = ? AND `series_id` BETWEEN ? AND ?";
  }

  static String selectSeriesRange(StorageLayout layout) {
    return "SELECT MIN(`series_id`), MAX(`series_id`) FROM `" + layout.rollup5m() + "` WHERE `bucket` >= ? AND `bucket` < ?";
  }

  static String markSeriesDay(StorageLayout layout, int series) {
    return "UPDATE `" + layout.series() + "` SET `last_day` = GREATEST(`last_day`, ?) WHERE `series_id` IN ("
      + "?,".repeat(series - 1) + "?)";
  }

  /** The sample time most hosts reporting lately have reached: the tenth percentile of their newest sample times. */
  static String recentHosts(StorageLayout layout) {
    return "SELECT `last_ts` FROM `" + layout.hosts() + "` WHERE `last_received` >= ? AND `last_ts` > 0 ORDER BY `last_ts`";
  }

  static String leaderLock() {
    return "SELECT GET_LOCK(CONCAT('nbnet.compactor.', DATABASE()), 0)";
  }
}
