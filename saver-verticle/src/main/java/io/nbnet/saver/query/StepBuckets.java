package io.nbnet.saver.query;

import io.nbnet.saver.compaction.Rollup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The answer of a query being built: per series, buckets of {@code step} starting at multiples of it,
 * each the min, max, sum and count of what fell into it, from samples or from rollups alike.
 */
final class StepBuckets {

  /** A series' buckets by their start. */
  private record SeriesBuckets(String metric, String tags, TreeMap<Long, double[]> buckets) {
  }

  private static final int MIN = 0;
  private static final int MAX = 1;
  private static final int SUM = 2;
  private static final int COUNT = 3;

  private final long step;
  private final Map<Integer, SeriesBuckets> series = new LinkedHashMap<>();
  /** Where the data read so far ends: the next finer tier is read from here on. */
  private long coveredUntil;

  StepBuckets(long from, long step) {
    this.step = step;
    this.coveredUntil = from;
  }

  void series(int seriesId, String metric, String tags) {
    series.put(seriesId, new SeriesBuckets(metric, tags, new TreeMap<>()));
  }

  long coveredUntil() {
    return coveredUntil;
  }

  void sample(int seriesId, long ts, double value) {
    add(seriesId, ts, value, value, value, 1);
    coveredUntil = Math.max(coveredUntil, ts + 1);
  }

  /** A rollup of the bucket {@code [start, start + length)}. */
  void rollup(int seriesId, long start, long length, Rollup rollup) {
    add(seriesId, start, rollup.min(), rollup.max(), rollup.sum(), rollup.count());
    coveredUntil = Math.max(coveredUntil, start + length);
  }

  private void add(int seriesId, long ts, double min, double max, double sum, long count) {
    SeriesBuckets target = series.get(seriesId);
    double[] bucket = target.buckets().computeIfAbsent(Math.floorDiv(ts, step) * step,
      start -> new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0});
    bucket[MIN] = Math.min(bucket[MIN], min);
    bucket[MAX] = Math.max(bucket[MAX], max);
    bucket[SUM] += sum;
    bucket[COUNT] += count;
  }

  /**
   * {@code [{"metric", "tags", "t": [...], "avg": [...], "min": [...], "max": [...]}, ...]}, columns for
   * charts, with those of {@code fields} ({@code avg}, {@code min}, {@code max}) asked for.
   */
  JsonArray json(Set<String> fields) {
    JsonArray all = new JsonArray();
    series.values().forEach(s -> {
      JsonArray t = new JsonArray();
      JsonArray avg = new JsonArray();
      JsonArray min = new JsonArray();
      JsonArray max = new JsonArray();
      s.buckets().forEach((start, bucket) -> {
        t.add(start);
        avg.add(bucket[SUM] / bucket[COUNT]);
        min.add(bucket[MIN]);
        max.add(bucket[MAX]);
      });
      JsonObject json = new JsonObject().put("metric", s.metric()).put("tags", s.tags()).put("t", t);
      if (fields.contains("avg")) {
        json.put("avg", avg);
      }
      if (fields.contains("min")) {
        json.put("min", min);
      }
      if (fields.contains("max")) {
        json.put("max", max);
      }
      all.add(json);
    });
    return all;
  }
}
