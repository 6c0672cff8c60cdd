package io.nbnet.promql.eval;

import io.nbnet.promql.Labels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code histogram_quantile} over classic buckets: the samples of one histogram share all labels but {@code le}. */
final class HistogramQuantile {

  private static final Set<String> BUCKET_LABEL = Set.of("le");
  private static final Set<String> EXCLUDED = Set.of(Labels.METRIC_NAME, "le");

  private HistogramQuantile() {
  }

  static List<Sample> apply(double q, List<Sample> vector) {
    Map<String, Labels> metrics = new LinkedHashMap<>();
    Map<String, List<Quantiles.Bucket>> buckets = new LinkedHashMap<>();
    long time = 0;
    for (Sample sample : vector) {
      double upperBound;
      try {
        upperBound = parseBound(sample.metric().get("le"));
      } catch (NumberFormatException e) {
        continue;
      }
      String key = sample.metric().signature(null, BUCKET_LABEL);
      metrics.computeIfAbsent(key, k -> sample.metric().without(EXCLUDED));
      buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(new Quantiles.Bucket(upperBound, sample.value()));
      time = sample.time();
    }
    List<Sample> out = new ArrayList<>(metrics.size());
    for (Map.Entry<String, Labels> histogram : metrics.entrySet()) {
      out.add(new Sample(histogram.getValue(), time, Quantiles.bucketQuantile(q, buckets.get(histogram.getKey()))));
    }
    return out;
  }

  /** Go's {@code strconv.ParseFloat} of an {@code le} value ({@code +Inf}, {@code 0.5}, {@code 1e3}). */
  private static double parseBound(String text) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    switch (lower) {
      case "+inf", "inf", "+infinity", "infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan", "+nan", "-nan" -> {
        return Double.NaN;
      }
      default -> {
        if (!text.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
          throw new NumberFormatException(text);
        }
        return Double.parseDouble(text);
      }
    }
  }
}
