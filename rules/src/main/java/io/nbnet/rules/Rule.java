package io.nbnet.rules;

import io.nbnet.promql.QueryResult;

import java.util.List;

/** An alerting or a recording rule: evaluated at a time, it gives the samples to store. */
public sealed interface Rule permits AlertingRule, RecordingRule {

  RuleDefinition definition();

  /** The samples to store at {@code timeMillis}; {@link RuleException} (or the engine's) when it fails. */
  List<QueryResult.Sample> evaluate(long timeMillis, RuleQuery query, int limit);

  /** The last evaluation's error, or null. */
  String lastError();

  void lastError(String error);
}
