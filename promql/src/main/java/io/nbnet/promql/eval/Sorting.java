package io.nbnet.promql.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * {@code sort} and {@code sort_desc} as Prometheus orders: by value, NaN last; samples of equal value
 * keep their order (as Go's insertion sort of small vectors keeps it).
 */
final class Sorting {

  private Sorting() {
  }

  static List<Sample> ascending(List<Sample> vector) {
    return sorted(vector, (a, b) -> Double.isNaN(b.value()) && !Double.isNaN(a.value()) || a.value() < b.value());
  }

  static List<Sample> descending(List<Sample> vector) {
    return sorted(vector, (a, b) -> Double.isNaN(b.value()) && !Double.isNaN(a.value()) || a.value() > b.value());
  }

  /** Sorted by {@code less} (a strict order), stably. */
  private static List<Sample> sorted(List<Sample> vector, BiPredicate<Sample, Sample> less) {
    List<Sample> sorted = new ArrayList<>(vector);
    sorted.sort((a, b) -> less.test(a, b) ? -1 : less.test(b, a) ? 1 : 0);
    return sorted;
  }
}
