package io.nbnet.rules;

import io.nbnet.promql.Labels;
import io.nbnet.promql.QueryResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A recording rule: its expression's samples renamed to the rule's name, with its labels set (Prometheus's {@code recording.go}). */
public final class RecordingRule extends Rule {


  public RecordingRule(RuleDefinition definition) {
    super(definition);
  }

  @Override
  public List<QueryResult.Sample> evaluate(long timeMillis, RuleQuery query, int limit) {
    List<QueryResult.Sample> result = new ArrayList<>();
    Set<Labels> seen = new HashSet<>();
    for (QueryResult.Sample sample : query.at(definition().expr(), timeMillis)) {
      Labels labels = sample.metric().with(Labels.METRIC_NAME, definition().name());
      for (Map.Entry<String, String> label : definition().labels().entrySet()) {
        labels = labels.with(label.getKey(), label.getValue());
      }
      if (!seen.add(labels)) {
        throw new RuleException("vector contains metrics with the same labelset after applying rule labels");
      }
      result.add(new QueryResult.Sample(labels, timeMillis, sample.value()));
    }
    if (limit > 0 && result.size() > limit) {
      throw new RuleException("exceeded limit of " + limit + " with " + result.size() + " series");
    }
    return result;
  }
}
