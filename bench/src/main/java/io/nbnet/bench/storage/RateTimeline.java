package io.nbnet.bench.storage;

import java.util.concurrent.atomic.AtomicLongArray;

/** Samples acknowledged per second of a run, to tell its rate by quarter. */
final class RateTimeline {

  private static final int MAX_SECONDS = 24 * 3600;

  private final AtomicLongArray perSecond = new AtomicLongArray(MAX_SECONDS);
  private final long startNanos = System.nanoTime();
  private volatile long endNanos;

  void add(long samples) {
    int second = (int) Math.min(MAX_SECONDS - 1, (System.nanoTime() - startNanos) / 1_000_000_000L);
    perSecond.addAndGet(second, samples);
  }

  void end() {
    endNanos = System.nanoTime();
  }

  double seconds() {
    return (endNanos - startNanos) / 1e9;
  }

  long total() {
    long total = 0;
    for (int i = 0; i < perSecond.length(); i++) {
      total += perSecond.get(i);
    }
    return total;
  }

  /** Samples per second in each quarter of the run's duration (whole seconds, the last second's remainder in the last quarter). */
  double[] quarters() {
    int seconds = (int) Math.ceil(seconds());
    double[] rates = new double[4];
    for (int q = 0; q < 4; q++) {
      int from = seconds * q / 4;
      int to = seconds * (q + 1) / 4;
      long samples = 0;
      for (int s = from; s < to; s++) {
        samples += perSecond.get(s);
      }
      rates[q] = to > from ? samples / (double) (to - from) : 0;
    }
    return rates;
  }
}
