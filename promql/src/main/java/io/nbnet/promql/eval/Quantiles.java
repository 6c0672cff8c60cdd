package io.nbnet.promql.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Quantiles as Prometheus computes them: of values ({@code quantile}), and of classic histogram buckets. */
final class Quantiles {

  /** One bucket of a classic histogram: its upper bound ({@code le}) and cumulative count. */
  record Bucket(double upperBound, double count) {
  }

  private Quantiles() {
  }

  /** The q-quantile of {@code values}, interpolated between the two nearest ranks; sorts {@code values}. */
  static double quantile(double q, List<Double> values) {
    if (values.isEmpty() || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    // Go's order: a NaN counts as less than anything
    values.sort((a, b) -> Double.isNaN(a) ? (Double.isNaN(b) ? 0 : -1) : Double.isNaN(b) ? 1 : Double.compare(a, b) == 0 ? 0 : a < b ? -1 : 1);
    double n = values.size();
    double rank = q * (n - 1);
    double lowerIndex = Math.max(0, Math.floor(rank));
    double upperIndex = Math.min(n - 1, lowerIndex + 1);
    double weight = rank - Math.floor(rank);
    return values.get((int) lowerIndex) * (1 - weight) + values.get((int) upperIndex) * weight;
  }

  /** {@code histogram_quantile} of classic buckets: linear interpolation within the bucket the rank falls in. */
  static double bucketQuantile(double q, List<Bucket> given) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    List<Bucket> buckets = new ArrayList<>(given);
    buckets.sort(Comparator.comparingDouble(Bucket::upperBound));
    if (!(Double.isInfinite(buckets.get(buckets.size() - 1).upperBound()) && buckets.get(buckets.size() - 1).upperBound() > 0)) {
      return Double.NaN;
    }
    buckets = coalesce(buckets);
    ensureMonotonic(buckets);
    if (buckets.size() < 2) {
      return Double.NaN;
    }
    double observations = buckets.get(buckets.size() - 1).count();
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    int b = 0;
    while (b < buckets.size() - 1 && !(buckets.get(b).count() >= rank)) {
      b++;
    }
    if (b == buckets.size() - 1) {
      return buckets.get(buckets.size() - 2).upperBound();
    }
    if (b == 0 && buckets.get(0).upperBound() <= 0) {
      return buckets.get(0).upperBound();
    }
    double bucketStart = 0;
    double bucketEnd = buckets.get(b).upperBound();
    double count = buckets.get(b).count();
    if (b > 0) {
      bucketStart = buckets.get(b - 1).upperBound();
      count -= buckets.get(b - 1).count();
      rank -= buckets.get(b - 1).count();
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }

  private static List<Bucket> coalesce(List<Bucket> buckets) {
    List<Bucket> merged = new ArrayList<>();
    Bucket last = buckets.get(0);
    for (Bucket bucket : buckets.subList(1, buckets.size())) {
      if (bucket.upperBound() == last.upperBound()) {
        last = new Bucket(last.upperBound(), last.count() + bucket.count());
      } else {
        merged.add(last);
        last = bucket;
      }
    }
    merged.add(last);
    return merged;
  }

  private static void ensureMonotonic(List<Bucket> buckets) {
    double max = buckets.get(0).count();
    for (int i = 1; i < buckets.size(); i++) {
      double count = buckets.get(i).count();
      if (count > max) {
        max = count;
      } else if (count < max) {
        buckets.set(i, new Bucket(buckets.get(i).upperBound(), max));
      }
    }
  }
}
