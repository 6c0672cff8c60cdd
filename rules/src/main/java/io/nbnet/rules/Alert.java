package io.nbnet.rules;

import io.nbnet.promql.Labels;

import java.util.Map;

/** One alert of an alerting rule: its labels, rendered annotations, state and times (milliseconds; 0 is unset). */
public final class Alert {

  public enum State { INACTIVE, PENDING, FIRING }

  private final Labels labels;
  /** Name order; a value may be empty, as Prometheus keeps it. */
  Map<String, String> annotations;
  State state = State.PENDING;
  double value;
  final long activeAt;
  long firedAt;
  long resolvedAt;
  long keepFiringSince;
  long lastSentAt;
  long validUntil;
  /** It may not fire before this (0: no hold): see {@link AlertingRule#holdNewAlertsUntil}. */
  long fireNotBefore;

  Alert(Labels labels, Map<String, String> annotations, double value, long activeAt) {
    this.labels = labels;
    this.annotations = annotations;
    this.value = value;
    this.activeAt = activeAt;
  }

  public Labels labels() {
    return labels;
  }

  public Map<String, String> annotations() {
    return annotations;
  }

  public State state() {
    return state;
  }

  public double value() {
    return value;
  }

  public long activeAt() {
    return activeAt;
  }

  public long firedAt() {
    return firedAt;
  }

  public long resolvedAt() {
    return resolvedAt;
  }

  /** Until when Alertmanager should hold the alert firing without hearing of it again (its {@code endsAt} while firing). */
  public long validUntil() {
    return validUntil;
  }
}
