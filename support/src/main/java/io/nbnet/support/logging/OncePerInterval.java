package io.nbnet.support.logging;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A recurring event reported at most once per interval: the first at once, then the next one an
 * interval later, saying how many came since. Thread-safe.
 */
public final class OncePerInterval {

  private final long intervalNanos;
  private final AtomicLong reportedAt;
  private final AtomicLong unreported = new AtomicLong();

  public OncePerInterval(long intervalMillis) {
    this.intervalNanos = intervalMillis * 1_000_000;
    this.reportedAt = new AtomicLong(System.nanoTime() - intervalNanos);
  }

  /** Counts one event; when a report is due, the events since the last report, this one included. */
  public OptionalLong count() {
    long since = unreported.incrementAndGet();
    long now = System.nanoTime();
    long last = reportedAt.get();
    if (now - last >= intervalNanos && reportedAt.compareAndSet(last, now)) {
      unreported.addAndGet(-since);
      return OptionalLong.of(since);
    }
    return OptionalLong.empty();
  }
}
