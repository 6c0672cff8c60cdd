package io.nbnet.store.schema;

import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.tables.Windows;

/**
 * The views people and Grafana query with plain SQL: every tier with human columns ({@code host},
 * {@code metric}, {@code tags}, {@code time}) beside the keys ({@code ts} in epoch milliseconds).
 * <ul>
 *   <li>{@code samples_all}: every raw sample, compacted or still waiting, with the columns older nbnet
 *       versions had ({@code host, metric, tags, ts, value, text_value, shard}) plus {@code time} and
 *       {@code window_start}; NaN, ±Inf and stale markers have no {@code value} and their name
 *       ({@code NaN}, {@code +Inf}, {@code -Inf}, {@code stale}) as {@code text_value}. A raw sample lives in the block of its five-minute window: a condition
 *       on {@code window_start} (not only on {@code ts}) lets MySQL read only the blocks needed.</li>
 *   <li>{@code samples_5m} and {@code samples_1h}: the rollups, {@code min, max, sum, count, avg, last}
 *       per bucket; {@code ts} is the bucket's start and selects the rows by key.</li>
 * </ul>
 * Blocks and 5-minute rollups are reached through the list of compacted windows, one key lookup per
 * window, since both are keyed by time first. Conditions work best written with their values (as
 * Grafana sends them): with {@code ?} parameters MariaDB 10.11 does not push them into the branches
 * of {@code samples_all} and reads every block.
 */
final class Views {

  private Views() {
  }

  static String rawView(StorageLayout layout) {
    String names = "FROM `" + layout.hosts() + "` h JOIN `" + layout.series() + "` s ON s.`host_id` = h.`host_id` ";
    String window = " - %s.`ts` MOD " + Windows.WINDOW_MILLIS;
    // the n-th value of a block belongs to the n-th time of its host's window
    String ts = "b.`window_start` + CAST(JSON_VALUE(t.`times`, CONCAT('$[', p.`i` - 1, ']')) AS SIGNED)";
    return "CREATE OR REPLACE VIEW `" + layout.rawView() + "` AS "
      + "SELECT h.`host`, s.`metric`, s.`tags`, " + ts + " AS `ts`, p.`value`, COALESCE(p.`text_value`, p.`special`) AS `text_value`,"
      + " '" + layout.raw() + "' AS `shard`, " + time(ts, 3) + " AS `time`, b.`window_start` "
      + names + "JOIN `" + layout.windows() + "` w JOIN `" + layout.raw() + "` b"
      + " ON b.`window_start` = w.`window_start` AND b.`host_id` = s.`host_id` AND b.`series_id` = s.`series_id`"
      + " JOIN `" + layout.rawTimes() + "` t ON t.`window_start` = b.`window_start` AND t.`host_id` = b.`host_id`"
      + " JOIN JSON_TABLE(UNCOMPRESS(b.`points`), '$[*]' COLUMNS (`i` FOR ORDINALITY, `value` DOUBLE PATH '$' NULL ON ERROR,"
      + " `text_value` VARCHAR(1024) PATH '$.t', `special` VARCHAR(5) PATH '$.v')) p"
      + " WHERE p.`value` IS NOT NULL OR p.`text_value` IS NOT NULL OR p.`special` IS NOT NULL"
      + " UNION ALL "
      + "SELECT h.`host`, s.`metric`, s.`tags`, r.`ts`, r.`value`, " + stagedText("r") + ", '" + layout.recent() + "', " + time("r.`ts`", 3) + ","
      + " r.`ts`" + window.formatted("r") + " "
      + names + "JOIN `" + layout.recent() + "` r ON r.`host_id` = s.`host_id` AND r.`series_id` = s.`series_id`"
      + " WHERE " + notInBlock(layout, "r")
      + " UNION ALL "
      + "SELECT h.`host`, s.`metric`, s.`tags`, c.`ts`, c.`value`, " + stagedText("c") + ", '" + layout.compacting() + "', " + time("c.`ts`", 3) + ","
      + " c.`ts`" + window.formatted("c") + " "
      + names + "JOIN `" + layout.compacting() + "` c ON c.`host_id` = s.`host_id` AND c.`series_id` = s.`series_id`"
      + " WHERE " + notInBlock(layout, "c");
  }

  /** A staged row's text as the sample had it: NaN, ±Inf and stale by their names, a text without its escape (StagedValues). */
  private static String stagedText(String staged) {
    return "IF(LEFT(" + staged + ".`text_value`, 1) = CHAR(0 USING utf8mb4), SUBSTRING(" + staged + ".`text_value`, 2), " + staged
      + ".`text_value`)";
  }

  /**
   * A staged sample whose key a raw block already holds shows from the block: a replay of a compacted
   * window (the block's value won), or a sample the running compaction has just written. A block, its
   * times and its window are committed together, so no sample is ever missing from the view. For the
   * common case, a window not compacted yet, this is one key lookup that finds no times.
   */
  private static String notInBlock(StorageLayout layout, String staged) {
    String windowStart = staged + ".`ts` - " + staged + ".`ts` MOD " + Windows.WINDOW_MILLIS;
    return "NOT EXISTS (SELECT 1 FROM `" + layout.rawTimes() + "` t"
      + " JOIN `" + layout.raw() + "` b ON b.`window_start` = t.`window_start` AND b.`host_id` = t.`host_id`"
      + " JOIN JSON_TABLE(t.`times`, '$[*]' COLUMNS (`i` FOR ORDINALITY, `dt` BIGINT PATH '$')) d"
      + " WHERE t.`window_start` = " + windowStart + " AND t.`host_id` = " + staged + ".`host_id`"
      + " AND b.`series_id` = " + staged + ".`series_id` AND d.`dt` = " + staged + ".`ts` - t.`window_start`"
      + " AND JSON_EXTRACT(UNCOMPRESS(b.`points`), CONCAT('$[', d.`i` - 1, ']')) <> 'null')";
  }

  /** Each compacted window of the hour rows, with the rollup of that window taken out of its row. */
  static String view5m(StorageLayout layout) {
    String index = "(w.`window_start` MOD " + Windows.HOUR_MILLIS + ") DIV " + Windows.WINDOW_MILLIS;
    return "CREATE OR REPLACE VIEW `" + layout.view5m() + "` AS "
      + "SELECT h.`host`, s.`metric`, s.`tags`, w.`window_start` AS `ts`, " + time("w.`window_start`", 0) + " AS `time`, "
      + bucketField(index, 0, "DOUBLE") + " AS `min`, " + bucketField(index, 1, "DOUBLE") + " AS `max`, "
      + bucketField(index, 2, "DOUBLE") + " AS `sum`, " + bucketField(index, 3, "UNSIGNED") + " AS `count`, "
      + bucketField(index, 2, "DOUBLE") + " / " + bucketField(index, 3, "UNSIGNED") + " AS `avg`, "
      + bucketField(index, 4, "DOUBLE") + " AS `last`"
      + " FROM `" + layout.hosts() + "` h JOIN `" + layout.series() + "` s ON s.`host_id` = h.`host_id`"
      + " JOIN `" + layout.windows() + "` w JOIN `" + layout.rollup5m() + "` r"
      + " ON r.`hour` = w.`window_start` - w.`window_start` MOD " + Windows.HOUR_MILLIS + " AND r.`series_id` = s.`series_id`"
      + " WHERE JSON_VALUE(r.`buckets`, CONCAT('$[', " + index + ", '][3]')) IS NOT NULL";
  }

  private static String bucketField(String index, int field, String type) {
    return "CAST(JSON_VALUE(r.`buckets`, CONCAT('$[', " + index + ", '][" + field + "]')) AS " + type + ")";
  }

  static String view1h(StorageLayout layout) {
    return "CREATE OR REPLACE VIEW `" + layout.view1h() + "` AS "
      + "SELECT h.`host`, s.`metric`, s.`tags`, r.`bucket` AS `ts`, " + time("r.`bucket`", 0) + " AS `time`, "
      + "r.`min`, r.`max`, r.`sum`, r.`count`, r.`sum` / r.`count` AS `avg`, r.`last`"
      + " FROM `" + layout.hosts() + "` h JOIN `" + layout.series() + "` s ON s.`host_id` = h.`host_id`"
      + " JOIN `" + layout.rollup1h() + "` r ON r.`series_id` = s.`series_id`";
  }

  /** Epoch milliseconds as a DATETIME in the session's time zone. */
  private static String time(String millis, int fraction) {
    return "CAST(FROM_UNIXTIME((" + millis + ") / 1000) AS DATETIME" + (fraction > 0 ? "(" + fraction + ")" : "") + ")";
  }
}
