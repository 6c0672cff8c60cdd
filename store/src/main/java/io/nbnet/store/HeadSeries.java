package io.nbnet.store;

import java.util.Arrays;

/**
 * One series's samples in the {@link Head}: times and values in time order, one value per time (the
 * first written, as the store keeps it). Samples usually come in time order; one that comes late (frames
 * committed out of order) goes in its place. Written on the store's event loop, read by queries on
 * theirs: every method holds the series's lock.
 */
final class HeadSeries {

  /** Bytes of a series without samples: the object, its ref, the arrays' headers and its entries in the head's indexes. */
  static final long OVERHEAD_BYTES = 320;
  private static final int FIRST_CAPACITY = 8;

  final SeriesRef ref;
  private long[] times = new long[FIRST_CAPACITY];
  private double[] values = new double[FIRST_CAPACITY];
  private int size;

  HeadSeries(SeriesRef ref) {
    this.ref = ref;
  }

  /** Adds a sample unless its time is there already; returns the bytes the arrays grew by. */
  synchronized long add(long ts, double value) {
    int at = size;
    if (size > 0 && times[size - 1] >= ts) {
      at = Arrays.binarySearch(times, 0, size, ts);
      if (at >= 0) {
        return 0;
      }
      at = -at - 1;
    }
    long grown = 0;
    if (size == times.length) {
      int capacity = times.length + (times.length >> 1);
      grown = (long) (capacity - times.length) * 16;
      times = Arrays.copyOf(times, capacity);
      values = Arrays.copyOf(values, capacity);
    }
    System.arraycopy(times, at, times, at + 1, size - at);
    System.arraycopy(values, at, values, at + 1, size - at);
    times[at] = ts;
    values[at] = value;
    size++;
    return grown;
  }

  /** Drops the samples before {@code cut}, shrinking the arrays when they are mostly empty; returns the bytes freed. */
  synchronized long dropBefore(long cut) {
    int first = 0;
    while (first < size && times[first] < cut) {
      first++;
    }
    if (first == 0) {
      return 0;
    }
    size -= first;
    System.arraycopy(times, first, times, 0, size);
    System.arraycopy(values, first, values, 0, size);
    if (times.length > FIRST_CAPACITY && size < times.length / 4) {
      int capacity = Math.max(FIRST_CAPACITY, size * 2);
      long freed = (long) (times.length - capacity) * 16;
      times = Arrays.copyOf(times, capacity);
      values = Arrays.copyOf(values, capacity);
      return freed;
    }
    return 0;
  }

  synchronized boolean isEmpty() {
    return size == 0;
  }

  synchronized int size() {
    return size;
  }

  synchronized long bytes() {
    return OVERHEAD_BYTES + times.length * 16L;
  }

  /** Hands {@code sink} the samples from {@code from} to before {@code to}. */
  synchronized void read(long from, long to, TierSink sink) {
    int at = Arrays.binarySearch(times, 0, size, from);
    for (int i = at >= 0 ? at : -at - 1; i < size && times[i] < to; i++) {
      sink.sample(ref, times[i], values[i]);
    }
  }
}
