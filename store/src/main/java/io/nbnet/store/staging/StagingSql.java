package io.nbnet.store.staging;

import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.tables.Windows;

import java.util.ArrayList;
import java.util.List;

/** The SQL of the table where samples wait for compaction, one row each. */
public final class StagingSql {

  private StagingSql() {
  }

  /**
   * Keyed by host first, so the rows of one frame land at one place (its host's tail) and compaction
   * reads a host's samples as one stretch; partitioned by window modulo the ring.
   */
  public static String createRecent(StorageLayout layout) {
    List<String> partitions = new ArrayList<>();
    for (int slot = 0; slot < Windows.RING_SLOTS; slot++) {
      partitions.add("PARTITION " + Windows.slotName(slot) + " VALUES IN (" + slot + ")");
    }
    return columns(layout.recent(), layout) + " PARTITION BY LIST ((`ts` DIV " + Windows.WINDOW_MILLIS + ") MOD " + Windows.RING_SLOTS
      + ") (" + String.join(",", partitions) + ")";
  }

  /** The same columns, not partitioned: a partition of the ring is swapped with it to be compacted. */
  public static String createCompacting(StorageLayout layout) {
    return columns(layout.compacting(), layout);
  }

  private static String columns(String table, StorageLayout layout) {
    return "CREATE TABLE IF NOT EXISTS `" + table + "` ("
      + "`host_id` INT UNSIGNED NOT NULL,"
      + "`ts` BIGINT NOT NULL COMMENT 'sample time, epoch ms',"
      + "`series_id` INT UNSIGNED NOT NULL,"
      + "`value` DOUBLE NULL,"
      + "`text_value` VARCHAR(1024) NULL,"
      + "`conflicts` TINYINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'times another value came for this key',"
      + "PRIMARY KEY (`host_id`, `ts`, `series_id`)"
      + ") " + layout.tableOptions(false);
  }

  /**
   * A multi-row insert. A key that is there already keeps its value; when the new value differs the
   * row's conflict counter changes, which the server reports as a second affected row (with
   * CLIENT_FOUND_ROWS an unchanged duplicate counts once), so affected rows minus rows sent are the
   * conflicts of the statement.
   */
  public static String insertRecent(StorageLayout layout, int rows) {
    StringBuilder sql = new StringBuilder(128 + rows * 14)
      .append("INSERT INTO `").append(layout.recent()).append("` (`host_id`, `ts`, `series_id`, `value`, `text_value`) VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "(?,?,?,?,?)" : ",(?,?,?,?,?)");
    }
    return sql.append(" ON DUPLICATE KEY UPDATE `conflicts` = LEAST(255, `conflicts`"
      + " + IF(`value` <=> VALUES(`value`) AND `text_value` <=> VALUES(`text_value`), 0, 1))").toString();
  }

  /** The stored values of one host's samples at the given times, to tell which of them conflicted. */
  static String selectStored(StorageLayout layout, int times) {
    return "SELECT `ts`, `series_id`, `value`, `text_value` FROM `" + layout.recent() + "` WHERE `host_id` = ? AND `ts` IN ("
      + "?,".repeat(times - 1) + "?)";
  }
}
