package io.nbnet.store;

import io.nbnet.store.tables.Point;

import java.util.List;
import java.util.Optional;

/**
 * The summary of a series over a bucket: min, max, sum and count of its finite numeric samples, and
 * the value of the newest one. Built from samples (a 5-minute window) or from finer rollups (an hour
 * from its 5-minute buckets); text samples, NaN, ±Inf and stale markers are not summarised.
 */
public record Rollup(double min, double max, double sum, long count, double last, long lastTs) {

  /** The rollup of a window's points (in time order); empty when none is numeric. */
  public static Optional<Rollup> of(List<Point> points) {
    Rollup rollup = null;
    for (Point point : points) {
      if (point.isText() || !Double.isFinite(point.value())) {
        continue;
      }
      double v = point.value();
      rollup = rollup == null ? new Rollup(v, v, v, 1, v, point.ts())
        : new Rollup(Math.min(rollup.min, v), Math.max(rollup.max, v), rollup.sum + v, rollup.count + 1,
          point.ts() >= rollup.lastTs ? v : rollup.last, Math.max(point.ts(), rollup.lastTs));
    }
    return Optional.ofNullable(rollup);
  }

  /** Two rollups of adjacent buckets as one; the newer bucket's last value wins. */
  public Rollup merge(Rollup other) {
    boolean otherIsNewer = other.lastTs >= lastTs;
    return new Rollup(Math.min(min, other.min), Math.max(max, other.max), sum + other.sum, count + other.count,
      otherIsNewer ? other.last : last, Math.max(lastTs, other.lastTs));
  }
}
