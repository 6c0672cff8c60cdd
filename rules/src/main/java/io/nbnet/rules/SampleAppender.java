package io.nbnet.rules;

import io.nbnet.promql.Labels;

/** Where rule results go: recorded series, {@code ALERTS}, {@code ALERTS_FOR_STATE} and stale markers. */
public interface SampleAppender {

  /** Stores one sample; {@link RuleException} when the store refuses it (out of order, a different value at the same time). */
  void append(Labels labels, long timeMillis, double value);
}
