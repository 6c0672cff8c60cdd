package io.nbnet.saver.query;

import io.nbnet.store.Rollup;
import io.nbnet.store.SeriesRef;
import io.nbnet.store.TierSink;
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
final class StepBuckets implements TierSink {

  /** A series' buckets by their start. */
  private record SeriesBuckets(TreeMap<Long, double[]> buckets) {
  }

  private static final int MIN = 0;
  private static final int MAX = 1;
  private static final int SUM = 2;
  private static final int COUNT = 3;

  private final long step;
  private final Map<SeriesRef, SeriesBuckets> series = new LinkedHashMap<>();

  StepBuckets(long step) {
    this.step = step;
  }

  /** A series of the answer, in the answer's order. */
  void series(SeriesRef found) {
    series.put(found, new SeriesBuckets(new TreeMap<>()));
  }

  @Override
  public void sample(SeriesRef found, long ts, double value) {
    // NaN, ±Inf and stale markers have no place in a bucket's min, max and average
    if (Double.isFinite(value)) {
      add(found, ts, value, value, value, 1);
    }
  }

  @Override
  public void rollup(SeriesRef found, long start, long length, Rollup rollup) {
    add(found, start, rollup.min(), rollup.max(), rollup.sum(), rollup.count());
  }

  private void add(SeriesRef found, long ts, double min, double max, double sum, long count) {
    SeriesBuckets target = series.get(found);
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
    series.forEach((found, s) -> {
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
      JsonObject json = new JsonObject().put("metric", found.metric()).put("tags", found.tags()).put("t", t);
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
