package io.nbnet.saver.promql;

import io.nbnet.promql.PromqlException;

/**
 * What one query may spend fetching: samples loaded from the store ({@code saver.http.maxSamples}; past
 * it the query fails with 422) and time (past its deadline, 503).
 */
public final class SampleBudget {

  private final long max;
  private final long deadlineNanos;
  private long taken;

  public SampleBudget(long max, long deadlineNanos) {
    this.max = max;
    this.deadlineNanos = deadlineNanos;
  }

  /** Fails once the query's time is up: a fetch checks before each statement it starts. */
  void checkTime() {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new PromqlException(PromqlException.Kind.TIMEOUT, "query timed out in query execution (fetching from the store)");
    }
  }

  void take(long samples) {
    taken += samples;
    if (taken > max) {
      throw new PromqlException(PromqlException.Kind.EXECUTION, "query processing would load too many samples into memory: more than "
        + max + " (saver.http.maxSamples); ask for a shorter range, fewer series or a larger step");
    }
  }

  public long taken() {
    return taken;
  }
}
