package io.nbnet.store.series;

import io.nbnet.formats.SampleLimits;
import io.nbnet.store.tables.StorageLayout;

import java.util.LinkedHashMap;
import java.util.Map;

/** The SQL of the host and series dictionaries. */
public final class SeriesSql {

  private SeriesSql() {
  }

  public static String createHosts(StorageLayout layout) {
    return "CREATE TABLE IF NOT EXISTS `" + layout.hosts() + "` ("
      + "`host_id` INT UNSIGNED NOT NULL AUTO_INCREMENT,"
      + "`host` VARCHAR(255) NOT NULL,"
      + "`first_received` BIGINT NOT NULL COMMENT 'epoch ms, saver clock',"
      + "`last_received` BIGINT NOT NULL COMMENT 'epoch ms, saver clock',"
      + "`last_ts` BIGINT NOT NULL COMMENT 'its newest sample time, epoch ms',"
      + "`last_samples` INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'samples at last_ts',"
      + "`interval_ms` INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'the spacing of its samples',"
      + String.join(",", hostStatusColumns().values()) + ","
      + "PRIMARY KEY (`host_id`),"
      + "UNIQUE KEY `host` (`host`)"
      + ") " + layout.tableOptions(false);
  }

  /** The columns the liveness check added to the hosts table, by name, as declared, in order. */
  public static Map<String, String> hostStatusColumns() {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("status", "`status` ENUM('reporting', 'late', 'silent') NOT NULL DEFAULT 'reporting' COMMENT 'as the liveness check last saw it'");
    columns.put("status_since", "`status_since` BIGINT NOT NULL DEFAULT 0 COMMENT 'epoch ms; 0: since first_received'");
    return columns;
  }

  /** The column names of a table of this database. Parameter: the table. */
  public static String tableColumns() {
    return "SELECT `COLUMN_NAME` FROM information_schema.COLUMNS WHERE `TABLE_SCHEMA` = DATABASE() AND `TABLE_NAME` = ?";
  }

  public static String createSeries(StorageLayout layout) {
    return "CREATE TABLE IF NOT EXISTS `" + layout.series() + "` ("
      + "`series_id` INT UNSIGNED NOT NULL AUTO_INCREMENT,"
      + "`host_id` INT UNSIGNED NOT NULL,"
      + "`metric` VARCHAR(128) NOT NULL,"
      + "`tags` VARCHAR(" + SampleLimits.MAX_TAGS_CHARS + ") NOT NULL DEFAULT '',"
      + "`last_day` INT NOT NULL DEFAULT 0 COMMENT 'days since 1970-01-01 of its newest compacted sample',"
      + TAGS_HASH + ","
      + "PRIMARY KEY (`series_id`),"
      + "UNIQUE KEY `host_metric_tags` (`host_id`, `metric`, `tags_hash`)"
      + ") " + layout.tableOptions(true);
  }

  /**
   * Tags longer than an index can hold (a Kubernetes series' labels) are told apart by their MD5, computed
   * by the database itself, so inserts name the tags only.
   */
  private static final String TAGS_HASH = "`tags_hash` BINARY(16) AS (UNHEX(MD5(`tags`))) STORED COMMENT 'the unique key''s stand-in for tags'";

  /**
   * A series table of an nbnet before tags could pass 255 characters: the column widened and the unique
   * key moved to the hash, in one rebuild of the table.
   */
  public static String widenTags(StorageLayout layout) {
    return "ALTER TABLE `" + layout.series() + "` MODIFY `tags` VARCHAR(" + SampleLimits.MAX_TAGS_CHARS + ") NOT NULL DEFAULT '',"
      + " ADD COLUMN " + TAGS_HASH + ", DROP INDEX `host_metric_tags`, ADD UNIQUE KEY `host_metric_tags` (`host_id`, `metric`, `tags_hash`)";
  }

  static String insertHost(StorageLayout layout) {
    return "INSERT IGNORE INTO `" + layout.hosts() + "` (`host`, `first_received`, `last_received`, `last_ts`) VALUES (?, ?, ?, 0)";
  }

  static String selectHost(StorageLayout layout) {
    return "SELECT `host_id` FROM `" + layout.hosts() + "` WHERE `host` = ?";
  }

  static String countSeries(StorageLayout layout) {
    return "SELECT COUNT(*) FROM `" + layout.series() + "`";
  }

  static String selectSeriesOfHost(StorageLayout layout) {
    return "SELECT `series_id`, `metric`, `tags` FROM `" + layout.series() + "` WHERE `host_id` = ?";
  }

  /** A host's series of these metric and tags pairs: the host id, then each pair's metric and tags (by the unique key). */
  static String selectSeriesByKeys(StorageLayout layout, int keys) {
    StringBuilder sql = new StringBuilder("SELECT `series_id`, `metric`, `tags` FROM `").append(layout.series())
      .append("` WHERE `host_id` = ? AND (");
    for (int i = 0; i < keys; i++) {
      sql.append(i == 0 ? "" : " OR ").append("(`metric` = ? AND `tags_hash` = UNHEX(MD5(?)))");
    }
    return sql.append(')').toString();
  }

  /** New series start with today as their newest day, so retention never takes them for series without data. */
  static String insertSeries(StorageLayout layout, int rows) {
    StringBuilder sql = new StringBuilder("INSERT IGNORE INTO `").append(layout.series())
      .append("` (`host_id`, `metric`, `tags`, `last_day`) VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "(?,?,?,?)" : ",(?,?,?,?)");
    }
    return sql.toString();
  }

  /**
   * What recent frames say about a host: a newer sample time moves {@code last_ts} forward (never
   * back: a late frame says nothing about now) and restarts its sample count; the saver's clock is
   * {@code last_received}. Parameters: ts, samples, ts, samples, interval, interval, ts, received, host_id.
   * MySQL assigns left to right, so {@code last_samples} still sees the old {@code last_ts}.
   */
  static String updateHostActivity(StorageLayout layout) {
    return "UPDATE `" + layout.hosts() + "` SET"
      + " `last_samples` = IF(? > `last_ts`, ?, IF(? = `last_ts`, `last_samples` + ?, `last_samples`)),"
      + " `interval_ms` = IF(? > 0, ?, `interval_ms`),"
      + " `last_ts` = GREATEST(`last_ts`, ?),"
      + " `last_received` = GREATEST(`last_received`, ?)"
      + " WHERE `host_id` = ?";
  }
}
