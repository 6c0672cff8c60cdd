package io.nbnet.collector.proc;

import java.util.HashMap;
import java.util.Map;

/**
 * Monotonic kernel counters between two readings: rates per second and increases per interval. The
 * first reading of a counter gives nothing (NaN, which the sink skips); a counter that went backwards
 * (a reset, a wrap) counts as 0.
 */
final class Counters {

  private final Map<String, Long> previous = new HashMap<>();
  private long previousNanos;
  private long nowNanos;

  /** Starts a reading; call once per interval before the counters. */
  void reading() {
    previousNanos = nowNanos;
    nowNanos = System.nanoTime();
  }

  double perSecond(String key, long value) {
    long increase = increase(key, value);
    double seconds = (nowNanos - previousNanos) / 1e9;
    return increase < 0 || previousNanos == 0 || seconds <= 0 ? Double.NaN : increase / seconds;
  }

  /** The increase since the previous reading; NaN on the first. */
  double delta(String key, long value) {
    long increase = increase(key, value);
    return increase < 0 ? Double.NaN : increase;
  }

  private long increase(String key, long value) {
    Long before = previous.put(key, value);
    return before == null ? -1 : Math.max(0, value - before);
  }
}
