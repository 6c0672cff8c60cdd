package io.nbnet.store.compaction;

import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.tables.Windows;

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
      + ") " + layout.tableOptions(false);
  }

  public static String createRaw(StorageLayout layout, String partitioning) {
    return "CREATE TABLE IF NOT EXISTS `" + layout.raw() + "` ("
      + "`window_start` BIGINT NOT NULL COMMENT 'epoch ms, a multiple of " + Windows.WINDOW_MILLIS + "',"
      + "`host_id` INT UNSIGNED NOT NULL,"
      + "`series_id` INT UNSIGNED NOT NULL,"
      + "`samples` MEDIUMINT UNSIGNED NOT NULL,"
      + "`points` BLOB NOT NULL COMMENT 'COMPRESS()ed JSON aligned with the times of " + layout.rawTimes() + ": [value, null, {\"t\": text}, ...]',"
      + "PRIMARY KEY (`window_start`, `host_id`, `series_id`)"
      + ") " + layout.tableOptions(true) + partitioning;
  }

  public static String createRawTimes(StorageLayout layout, String partitioning) {
    return "CREATE TABLE IF NOT EXISTS `" + layout.rawTimes() + "` ("
      + "`window_start` BIGINT NOT NULL COMMENT 'epoch ms, a multiple of " + Windows.WINDOW_MILLIS + "',"
      + "`host_id` INT UNSIGNED NOT NULL,"
      + "`times` TEXT NOT NULL COMMENT 'JSON: [ms after window_start, ...] of the host''s samples in the window, ascending',"
      + "PRIMARY KEY (`window_start`, `host_id`)"
      + ") " + layout.tableOptions(true) + partitioning;
  }

  public static String createRollup5m(StorageLayout layout, String partitioning) {
    return "CREATE TABLE IF NOT EXISTS `" + layout.rollup5m() + "` ("
      + "`hour` BIGINT NOT NULL COMMENT 'epoch ms of the hour',"
      + "`series_id` INT UNSIGNED NOT NULL,"
      + "`buckets` TEXT NOT NULL COMMENT 'JSON: per 5-minute window of the hour, null or [min, max, sum, count, last]',"
      + "PRIMARY KEY (`hour`, `series_id`)"
      + ") " + layout.tableOptions(true) + partitioning;
  }

  public static String createRollup1h(StorageLayout layout, String partitioning) {
    return "CREATE TABLE IF NOT EXISTS `" + layout.rollup1h() + "` ("
      + "`series_id` INT UNSIGNED NOT NULL,"
      + "`bucket` BIGINT NOT NULL COMMENT 'epoch ms of the hour',"
      + rollupColumns()
      + "PRIMARY KEY (`series_id`, `bucket`)"
      + ") " + layout.tableOptions(true) + partitioning;
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
  static String readCompacting(String table) {
    return "SELECT `host_id`, `ts`, `series_id`, `value`, `text_value` FROM `" + table + "`"
      + " WHERE `host_id` >= ? ORDER BY `host_id`, `ts`, `series_id` LIMIT ?";
  }

  /** The next page of one host's distinct sample times, ascending. */
  static String distinctTimesOfHost(String table) {
    return "SELECT DISTINCT `ts` FROM `" + table + "` WHERE `host_id` = ? AND `ts` > ? AND `ts` < ? ORDER BY `ts` LIMIT ?";
  }

  static String countHostRowsInWindow(String table) {
    return "SELECT COUNT(*) FROM `" + table + "` WHERE `host_id` = ? AND `ts` >= ? AND `ts` < ?";
  }

  /** The next slice of one host's rows in one window, series by series. */
  static String readHostSlice(String table) {
    return "SELECT `series_id`, `ts`, `value`, `text_value` FROM `" + table + "`"
      + " WHERE `host_id` = ? AND `ts` >= ? AND `ts` < ? AND `series_id` > ? ORDER BY `series_id`, `ts` LIMIT ?";
  }

  /** All rows of one series of one host in one window: at most one per distinct time. */
  static String readHostSeries(String table) {
    return "SELECT `series_id`, `ts`, `value`, `text_value` FROM `" + table + "`"
      + " WHERE `host_id` = ? AND `ts` >= ? AND `ts` < ? AND `series_id` = ? ORDER BY `ts`";
  }

  static String selectTimes(StorageLayout layout, int hosts) {
    return "SELECT `host_id`, `times` FROM `" + layout.rawTimes() + "` WHERE `window_start` = ? AND `host_id` IN ("
      + "?,".repeat(hosts - 1) + "?)";
  }

  /** The next page of a host's stored blocks in a window, within a range of series. */
  static String selectBlocksOfHostBetween(StorageLayout layout) {
    return "SELECT `series_id`, `points` FROM `" + layout.raw() + "` WHERE `window_start` = ? AND `host_id` = ?"
      + " AND `series_id` > ? AND `series_id` <= ? ORDER BY `series_id` LIMIT ?";
  }

  static String selectBlocksOfHost(StorageLayout layout) {
    return "SELECT `series_id`, `points` FROM `" + layout.raw() + "` WHERE `window_start` = ? AND `host_id` = ? LIMIT ?";
  }

  static String upsertTimes(StorageLayout layout, int rows) {
    StringBuilder sql = new StringBuilder("INSERT INTO `").append(layout.rawTimes()).append("` (`window_start`, `host_id`, `times`) VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "(?,?,?)" : ",(?,?,?)");
    }
    return sql.append(" ON DUPLICATE KEY UPDATE `times` = VALUES(`times`)").toString();
  }

  static String upsertBlocks(StorageLayout layout, int rows) {
    StringBuilder sql = new StringBuilder("INSERT INTO `").append(layout.raw())
      .append("` (`window_start`, `host_id`, `series_id`, `samples`, `points`) VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "(?,?,?,?,?)" : ",(?,?,?,?,?)");
    }
    return sql.append(" ON DUPLICATE KEY UPDATE `samples` = VALUES(`samples`), `points` = VALUES(`points`)").toString();
  }

  static String upsertHourBlocks(StorageLayout layout, int rows) {
    StringBuilder sql = new StringBuilder("INSERT INTO `").append(layout.rollup5m()).append("` (`hour`, `series_id`, `buckets`) VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "(?,?,?)" : ",(?,?,?)");
    }
    return sql.append(" ON DUPLICATE KEY UPDATE `buckets` = VALUES(`buckets`)").toString();
  }

  static String selectHourBlocks(StorageLayout layout, int series) {
    return "SELECT `series_id`, `buckets` FROM `" + layout.rollup5m() + "` WHERE `hour` = ? AND `series_id` IN ("
      + "?,".repeat(series - 1) + "?)";
  }

  /** The next page of an hour's 5-minute rows, in series order. */
  static String selectHourBlocksAfter(StorageLayout layout) {
    return "SELECT `series_id`, `buckets` FROM `" + layout.rollup5m() + "` WHERE `hour` = ? AND `series_id` > ?"
      + " ORDER BY `series_id` LIMIT ?";
  }

  /** The hours of the 5-minute tier in a range, to roll up into the hour tier once they close. */
  static String selectHours(StorageLayout layout) {
    return "SELECT DISTINCT `hour` FROM `" + layout.rollup5m() + "` WHERE `hour` >= ? AND `hour` < ? ORDER BY `hour`";
  }

  static String newestHourRolledUp(StorageLayout layout) {
    return "SELECT MAX(`bucket`) FROM `" + layout.rollup1h() + "`";
  }

  static String upsertHourRollups(StorageLayout layout, int rows) {
    StringBuilder sql = new StringBuilder("INSERT INTO `").append(layout.rollup1h()).append("` (`series_id`, `bucket`,")
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

  static String markSeriesDay(StorageLayout layout, int series) {
    return "UPDATE `" + layout.series() + "` SET `last_day` = GREATEST(`last_day`, ?) WHERE `series_id` IN ("
      + "?,".repeat(series - 1) + "?)";
  }

  /** The sample time most hosts reporting lately have reached: the tenth percentile of their newest sample times. */
  static String recentHosts(StorageLayout layout) {
    return "SELECT `last_ts` FROM `" + layout.hosts() + "` WHERE `last_received` >= ? AND `last_ts` > 0 ORDER BY `last_ts`";
  }
}
