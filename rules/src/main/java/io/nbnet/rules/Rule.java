package io.nbnet.rules;

import io.nbnet.promql.QueryResult;

import java.util.List;

/** An alerting or a recording rule: evaluated at a time, it gives the samples to store. */
public abstract sealed class Rule permits AlertingRule, RecordingRule {

  private final RuleDefinition definition;
  private String lastError;

  Rule(RuleDefinition definition) {
    this.definition = definition;
  }

  public final RuleDefinition definition() {
    return definition;
  }

  /** The samples to store at {@code timeMillis}; {@link RuleException} (or the engine's) when it fails. */
  public abstract List<QueryResult.Sample> evaluate(long timeMillis, RuleQuery query, int limit);

  /** The last evaluation's error, or null. */
  public final String lastError() {
    return lastError;
  }

  final void lastError(String error) {
    lastError = error;
  }
}
