package io.nbnet.store.tables;

import io.nbnet.store.Rollup;
import io.nbnet.store.tables.Windows;
import io.vertx.core.json.JsonArray;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The 5-minute rollups of one series over one hour, stored as one row: a JSON array of the hour's
 * twelve windows, each {@code null} or {@code [min, max, sum, count, last]}. One row per hour instead
 * of twelve keeps the tier small and lets a day of one series be read with 24 key lookups; the row of
 * the current hour is rewritten as its windows are compacted.
 */
public final class HourBlock {

  public static final int BUCKETS = (int) (Windows.HOUR_MILLIS / Windows.WINDOW_MILLIS);

  private final long hour;
  private final Rollup[] buckets;

  private HourBlock(long hour, Rollup[] buckets) {
    this.hour = hour;
    this.buckets = buckets;
  }

  public static HourBlock empty(long hour) {
    return new HourBlock(hour, new Rollup[BUCKETS]);
  }

  public static HourBlock decode(long hour, String json) {
    JsonArray array = new JsonArray(json);
    Rollup[] buckets = new Rollup[BUCKETS];
    for (int i = 0; i < Math.min(BUCKETS, array.size()); i++) {
      JsonArray bucket = array.getJsonArray(i);
      if (bucket != null) {
        buckets[i] = new Rollup(bucket.getDouble(0), bucket.getDouble(1), bucket.getDouble(2), bucket.getLong(3), bucket.getDouble(4),
          hour + i * Windows.WINDOW_MILLIS);
      }
    }
    return new HourBlock(hour, buckets);
  }

  /** The hour's 5-minute rollups that hold numbers, in time order; each one's {@code lastTs} is its window's start. */
  public List<Rollup> windows() {
    return Arrays.stream(buckets).filter(Objects::nonNull).toList();
  }

  /** This hour with the rollup of window {@code window} set (replaced if there was one). */
  public HourBlock with(long window, Rollup rollup) {
    Rollup[] copy = buckets.clone();
    copy[(int) ((window - hour) / Windows.WINDOW_MILLIS)] = rollup;
    return new HourBlock(hour, copy);
  }

  /** The rollup of the whole hour from its windows; empty when none has numbers. */
  public Optional<Rollup> hourRollup() {
    Rollup merged = null;
    for (Rollup bucket : buckets) {
      if (bucket != null) {
        merged = merged == null ? bucket : merged.merge(bucket);
      }
    }
    return Optional.ofNullable(merged);
  }

  public String encode() {
    double[][] values = new double[BUCKETS][];
    for (int i = 0; i < BUCKETS; i++) {
      Rollup bucket = buckets[i];
      values[i] = bucket == null ? null : new double[] {bucket.min(), bucket.max(), bucket.sum(), bucket.count(), bucket.last()};
    }
    return encode(values);
  }

  /** An hour's row from {@code [min, max, sum, count, last]} per window (null: none), for tools that write rollups directly. */
  public static String encode(double[][] buckets) {
    StringBuilder json = new StringBuilder(BUCKETS * 60).append('[');
    for (int i = 0; i < buckets.length; i++) {
      if (i > 0) {
        json.append(',');
      }
      if (buckets[i] == null) {
        json.append("null");
        continue;
      }
      json.append('[');
      for (int j = 0; j < buckets[i].length; j++) {
        BlockCodec.appendNumber(j > 0 ? json.append(',') : json, buckets[i][j]);
      }
      json.append(']');
    }
    return json.append(']').toString();
  }
}
