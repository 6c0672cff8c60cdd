package io.nbnet.store;

import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.tables.Windows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The reads of {@link StoreReader}, on the tables themselves (not the views: prepared statements defeat their pushdown). */
final class ReadSql {

  private ReadSql() {
  }

  /** A SELECT that the server stops after {@code millis}: MariaDB's max_statement_time, MySQL's MAX_EXECUTION_TIME. */
  static String limited(StorageLayout layout, long millis, String select) {
    if (StorageLayout.MYSQL_COLLATION.equals(layout.collation())) {
      return "SELECT /*+ MAX_EXECUTION_TIME(" + millis + ") */" + select.substring("SELECT".length());
    }
    return "SET STATEMENT max_statement_time=" + millis / 1000.0 + " FOR " + select;
  }

  /** The newest sample of every host for the given metrics, while it is still staged. */
  static String newestStaged(StorageLayout layout, int metrics) {
    return "SELECT h.`host`, s.`metric`, s.`tags`, r.`value` FROM `" + layout.hosts() + "` h"
      + " JOIN `" + layout.recent() + "` r ON r.`host_id` = h.`host_id` AND r.`ts` = h.`last_ts`"
      + " JOIN `" + layout.series() + "` s ON s.`series_id` = r.`series_id`"
      + " WHERE s.`metric` IN (" + placeholders(metrics) + ") AND r.`value` IS NOT NULL";
  }

  /**
   * The newest sample time the database holds, -1 when none: staged (each host's newest, by the key's
   * order) or in a compacted window (its last millisecond).
   */
  static String newestStored(StorageLayout layout) {
    return "SELECT GREATEST("
      + "COALESCE((SELECT MAX(`m`) FROM (SELECT MAX(`ts`) AS `m` FROM `" + layout.recent() + "` GROUP BY `host_id`) AS `r`), -1), "
      + "COALESCE((SELECT MAX(`m`) FROM (SELECT MAX(`ts`) AS `m` FROM `" + layout.compacting() + "` GROUP BY `host_id`) AS `c`), -1), "
      + "COALESCE((SELECT MAX(`window_start`) + " + (Windows.WINDOW_MILLIS - 1) + " FROM `" + layout.windows() + "`), -1))";
  }

  static String seriesOfHost(StorageLayout layout) {
    return "SELECT s.`metric`, s.`tags` FROM `" + layout.series() + "` s JOIN `" + layout.hosts() + "` h ON h.`host_id` = s.`host_id`"
      + " WHERE h.`host` = ? ORDER BY s.`metric`, s.`tags`";
  }

  /** Parameters: host, the metrics, then the tags when {@code withTags}. */
  static String seriesOfMetrics(StorageLayout layout, int metrics, boolean withTags) {
    return "SELECT s.`series_id`, s.`host_id`, s.`metric`, s.`tags` FROM `" + layout.series() + "` s"
      + " JOIN `" + layout.hosts() + "` h ON h.`host_id` = s.`host_id`"
      + " WHERE h.`host` = ? AND s.`metric` IN (" + placeholders(metrics) + ")" + (withTags ? " AND s.`tags` = ?" : "")
      + " ORDER BY s.`metric`, s.`tags`";
  }

  static String metricNames(StorageLayout layout) {
    return "SELECT DISTINCT `metric` FROM `" + layout.series() + "`";
  }

  /** Series of any host (or the one given first) and of these metrics (or any); at most {@code limit} + 1. */
  static String seriesMatching(StorageLayout layout, boolean oneHost, int metrics, int limit) {
    List<String> where = new ArrayList<>();
    if (oneHost) {
      where.add("h.`host` = ?");
    }
    if (metrics > 0) {
      where.add("s.`metric` IN (" + placeholders(metrics) + ")");
    }
    return "SELECT h.`host`, s.`series_id`, s.`host_id`, s.`metric`, s.`tags` FROM `" + layout.series() + "` s"
      + " JOIN `" + layout.hosts() + "` h ON h.`host_id` = s.`host_id`" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
      + " LIMIT " + (limit + 1);
  }

  /** Which part of {@link #rawOfHost} a row comes from. */
  static final int PART_RING = 0;
  static final int PART_COMPACTING = 1;
  static final int PART_TIMES = 2;
  static final int PART_BLOCKS = 3;

  /**
   * A host's raw samples in one statement, so that it reads every table at one moment: when
   * {@code staged}, its samples in the ring and in the compacting table ({@code ts}, {@code value}, or
   * in {@code data} the text of a value a DOUBLE cannot hold);
   * then the times ({@code ts} the window, {@code data} the JSON) and the blocks of its series
   * ({@code ts} the window, {@code data} the block) of the windows. {@code part} says which. Parameters:
   * when staged, twice (host, from, to, the series); then the windows, the host; the windows, the host, the series.
   */
  static String rawOfHost(StorageLayout layout, boolean staged, int windows, int series) {
    List<String> parts = new ArrayList<>();
    if (staged) {
      parts.add(staged(layout.recent(), PART_RING, series));
      parts.add(staged(layout.compacting(), PART_COMPACTING, series));
    }
    parts.add("SELECT " + PART_TIMES + " AS `part`, NULL AS `series_id`, `window_start` AS `ts`, NULL AS `value`, `times` AS `data` FROM `"
      + layout.rawTimes() + "` WHERE `window_start` IN (" + placeholders(windows) + ") AND `host_id` = ?");
    parts.add("SELECT " + PART_BLOCKS + ", `series_id`, `window_start`, NULL, `points` FROM `" + layout.raw() + "` WHERE `window_start` IN ("
      + placeholders(windows) + ") AND `host_id` = ? AND `series_id` IN (" + placeholders(series) + ")");
    return String.join(" UNION ALL ", parts);
  }

  private static String staged(String table, int part, int series) {
    // numbers, and what a DOUBLE cannot hold (StagedValues); not text samples
    return "SELECT " + part + " AS `part`, `series_id`, `ts`, `value`, `text_value` AS `data` FROM `" + table + "` WHERE `host_id` = ?"
      + " AND `ts` >= ? AND `ts` < ? AND `series_id` IN (" + placeholders(series) + ") AND (`value` IS NOT NULL OR LEFT(`text_value`, 1) = CHAR(0 USING utf8mb4))";
  }

  /** Parameters: the hours, then the series. */
  static String rollup5m(StorageLayout layout, int hours, int series) {
    return "SELECT `hour`, `series_id`, `buckets` FROM `" + layout.rollup5m() + "` WHERE `hour` IN (" + placeholders(hours) + ")"
      + " AND `series_id` IN (" + placeholders(series) + ")";
  }

  /** Parameters: the series, from, to. */
  static String rollup1h(StorageLayout layout, int series) {
    return "SELECT `series_id`, `bucket`, `min`, `max`, `sum`, `count`, `last` FROM `" + layout.rollup1h() + "`"
      + " WHERE `series_id` IN (" + placeholders(series) + ") AND `bucket` >= ? AND `bucket` < ?";
  }

  private static String placeholders(int n) {
    return String.join(",", Collections.nCopies(n, "?"));
  }
}
