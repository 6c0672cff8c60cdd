package io.nbnet.promql.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code topk} and {@code bottomk} keep their k samples in a heap exactly as Prometheus does with Go's
 * {@code container/heap}, so that ties come out in the same order.
 */
final class GoHeap {

  /** Less of topk's heap: the lowest value on top, NaN lowest of all. */
  static final Less TOP = (a, b) -> Double.isNaN(a.value()) || a.value() < b.value();
  /** Less of bottomk's heap: the highest value on top, NaN highest of all. */
  static final Less BOTTOM = (a, b) -> Double.isNaN(a.value()) || a.value() > b.value();

  interface Less {
    boolean test(Sample a, Sample b);
  }

  private GoHeap() {
  }

  /** Adds {@code sample} when the heap has fewer than k or it beats the top (Prometheus's condition). */
  static void offer(List<Sample> heap, Sample sample, long k, Less less) {
    Sample top = heap.get(0);
    boolean beats = less == TOP ? top.value() < sample.value() : top.value() > sample.value();
    if (heap.size() < k || beats || Double.isNaN(top.value())) {
      if (heap.size() == k) {
        if (k == 1) {
          heap.set(0, sample);
          return;
        }
        pop(heap, less);
      }
      push(heap, sample, less);
    }
  }

  /** The heap's samples in the order Prometheus outputs them: reverse-sorted by {@code less}. */
  static List<Sample> sortedForOutput(List<Sample> heap, Less less) {
    List<Sample> sorted = new ArrayList<>(heap);
    if (sorted.size() > 1) {
      // sort.Sort(sort.Reverse(heap)): Less(i, j) becomes less(j, i); Go's insertion sort for these few elements
      for (int i = 1; i < sorted.size(); i++) {
        for (int j = i; j > 0 && less.test(sorted.get(j - 1), sorted.get(j)); j--) {
          Sample swap = sorted.get(j);
          sorted.set(j, sorted.get(j - 1));
          sorted.set(j - 1, swap);
        }
      }
    }
    return sorted;
  }

  private static void push(List<Sample> heap, Sample sample, Less less) {
    heap.add(sample);
    up(heap, heap.size() - 1, less);
  }

  private static void pop(List<Sample> heap, Less less) {
    int n = heap.size() - 1;
    swap(heap, 0, n);
    down(heap, 0, n, less);
    heap.remove(n);
  }

  private static void up(List<Sample> heap, int j, Less less) {
    while (true) {
      int i = (j - 1) / 2;
      if (i == j || !less.test(heap.get(j), heap.get(i))) {
        break;
      }
      swap(heap, i, j);
      j = i;
    }
  }

  private static void down(List<Sample> heap, int i0, int n, Less less) {
    int i = i0;
    while (true) {
      int j1 = 2 * i + 1;
      if (j1 >= n || j1 < 0) {
        break;
      }
      int j = j1;
      int j2 = j1 + 1;
      if (j2 < n && less.test(heap.get(j2), heap.get(j1))) {
        j = j2;
      }
      if (!less.test(heap.get(j), heap.get(i))) {
        break;
      }
      swap(heap, i, j);
      i = j;
    }
  }

  private static void swap(List<Sample> heap, int i, int j) {
    Sample a = heap.get(i);
    heap.set(i, heap.get(j));
    heap.set(j, a);
  }
}
