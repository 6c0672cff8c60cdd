package io.nbnet.saver.promql;

import io.nbnet.promql.PromqlException;

/** How many samples one query may load from the store ({@code saver.http.maxSamples}); past it the query fails with 422. */
public final class SampleBudget {

  private final long max;
  private long taken;

  public SampleBudget(long max) {
    this.max = max;
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
