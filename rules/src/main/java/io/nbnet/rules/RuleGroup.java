package io.nbnet.rules;

import io.nbnet.promql.Labels;
import io.nbnet.promql.PromqlException;
import io.nbnet.promql.QueryResult;
import io.nbnet.promql.Values;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A group's rules, evaluated in order at one time each round (Prometheus's {@code Group.Eval}): a rule
 * reads what the rules before it stored in the same round; a series a rule gave last round and not this
 * one gets a stale marker, so it leaves instant queries at once instead of after the 5-minute lookback.
 */
public final class RuleGroup {

  private final RuleGroupDefinition definition;
  private final List<Rule> rules = new ArrayList<>();
  private final List<Set<Labels>> previousSeries = new ArrayList<>();
  private long lastEvaluation;
  private long evaluationNanos;

  public RuleGroup(RuleGroupDefinition definition, Map<String, String> externalLabels, String externalUrl) {
    this.definition = definition;
    for (RuleDefinition rule : definition.rules()) {
      rules.add(rule.alerting() ? new AlertingRule(rule, externalLabels, externalUrl) : new RecordingRule(rule));
      previousSeries.add(Set.of());
    }
  }

  public RuleGroupDefinition definition() {
    return definition;
  }

  public String name() {
    return definition.name();
  }

  public List<Rule> rules() {
    return List.copyOf(rules);
  }

  /** When the last round evaluated (its time, ms; 0 before the first) and how long it took (ns). */
  public long lastEvaluation() {
    return lastEvaluation;
  }

  public long evaluationNanos() {
    return evaluationNanos;
  }

  /**
   * Takes over what a group of the same name loaded before a reload knew (Prometheus's {@code CopyState}):
   * each rule's alerts and last series, matched by name and labels, so a reload neither resets
   * {@code for} nor leaves series without their stale markers.
   */
  public void copyStateFrom(RuleGroup old) {
    List<Integer> taken = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      for (int j = 0; j < old.rules.size(); j++) {
        if (!taken.contains(j) && sameIdentity(rules.get(i), old.rules.get(j))) {
          taken.add(j);
          previousSeries.set(i, old.previousSeries.get(j));
          if (rules.get(i) instanceof AlertingRule alerting && old.rules.get(j) instanceof AlertingRule oldAlerting) {
            alerting.takeAlertsFrom(oldAlerting);
          }
          break;
        }
      }
    }
  }

  /**
   * Every series the last round gave: a group a reload removes ends them with stale markers
   * (Prometheus's {@code markStale}), so they leave queries at once.
   */
  public Set<Labels> lastSeries() {
    Set<Labels> all = new HashSet<>();
    previousSeries.forEach(all::addAll);
    return all;
  }

  private static boolean sameIdentity(Rule a, Rule b) {
    return a.definition().name().equals(b.definition().name()) && a.definition().labels().equals(b.definition().labels());
  }

  /** One round at {@code timeMillis}; each rule's error (or null) is left in {@link Rule#lastError()}. */
  public void evaluate(long timeMillis, RuleQuery query, SampleAppender appender) {
    long began = System.nanoTime();
    evaluateRules(timeMillis, query, appender);
    lastEvaluation = timeMillis;
    evaluationNanos = System.nanoTime() - began;
  }

  private void evaluateRules(long timeMillis, RuleQuery query, SampleAppender appender) {
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      List<QueryResult.Sample> samples;
      try {
        samples = rule.evaluate(timeMillis, query, definition.limit());
        rule.lastError(null);
      } catch (RuleException | PromqlException e) {
        rule.lastError(e.getMessage());
        continue;
      } catch (RuntimeException e) {
        // a defect must fail this rule, not the round of every rule after it
        rule.lastError("unexpected " + e);
        continue;
      }
      Set<Labels> returned = new HashSet<>();
      for (QueryResult.Sample sample : samples) {
        try {
          appender.append(sample.metric(), timeMillis, sample.value());
          returned.add(sample.metric());
        } catch (RuleException e) {
          rule.lastError(e.getMessage());
        }
      }
      for (Labels gone : previousSeries.get(i)) {
        if (!returned.contains(gone)) {
          try {
            appender.append(gone, timeMillis, Values.STALE_NAN);
          } catch (RuleException e) {
            // a newer sample or one at this very time: the series is not gone, no marker needed
          }
        }
      }
      previousSeries.set(i, returned);
    }
  }
}
