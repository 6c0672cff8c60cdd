package io.nbnet.rules;

import io.nbnet.promql.Labels;
import io.nbnet.promql.QueryResult;
import io.nbnet.rules.template.Template;
import io.nbnet.rules.template.TemplateException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alerting rule as Prometheus 2.42's {@code alerting.go} runs it: each sample of its expression is an
 * alert, pending until it has been active for {@code for}, then firing; one that leaves the result
 * resolves (or keeps firing for {@code keep_firing_for}); a resolved alert is kept 15 minutes so it can
 * be sent as resolved. Each evaluation gives an {@code ALERTS} and an {@code ALERTS_FOR_STATE} sample of
 * every pending and firing alert.
 */
public final class AlertingRule extends Rule {

  public static final String ALERTS = "ALERTS";
  public static final String ALERTS_FOR_STATE = "ALERTS_FOR_STATE";
  public static final String ALERT_NAME = "alertname";
  public static final String ALERT_STATE = "alertstate";
  static final long RESOLVED_RETENTION_MILLIS = 15 * 60_000;

  private final Map<String, Template> labelTemplates = new TreeMap<>();
  private final Map<String, Template> annotationTemplates = new TreeMap<>();
  private final Map<String, String> externalLabels;
  private final String externalUrl;
  private final Map<Labels, Alert> active = new LinkedHashMap<>();
  /** When the alerts of a previous evaluator became active, by their labels: taken over by the next evaluation. */
  private Map<Labels, Long> restoredActiveAt = Map.of();
  private long holdUntil;

  /** {@link TemplateException} when a label or annotation is not a template nbnet can render (checked files never are). */
  public AlertingRule(RuleDefinition definition, Map<String, String> externalLabels, String externalUrl) {
    super(definition);
    this.externalLabels = Map.copyOf(externalLabels);
    this.externalUrl = externalUrl;
    definition.labels().forEach((name, text) -> labelTemplates.put(name, Template.parse(text)));
    definition.annotations().forEach((name, text) -> annotationTemplates.put(name, Template.parse(text)));
  }

  /** The pending, firing and recently resolved alerts. */
  public List<Alert> alerts() {
    return List.copyOf(active.values());
  }

  @Override
  public List<QueryResult.Sample> evaluate(long timeMillis, RuleQuery query, int limit) {
    Map<Labels, Alert> current = new LinkedHashMap<>();
    for (QueryResult.Sample sample : query.at(definition().expr(), timeMillis)) {
      Template.Data data = new Template.Data(sample.metric().toMap(), externalLabels, externalUrl, sample.value());
      Labels labels = sample.metric().withoutMetricName();
      for (Map.Entry<String, Template> label : labelTemplates.entrySet()) {
        labels = labels.with(label.getKey(), expand(label.getValue(), data));
      }
      labels = labels.with(ALERT_NAME, definition().name());
      Map<String, String> annotations = new TreeMap<>();
      annotationTemplates.forEach((name, template) -> annotations.put(name, expand(template, data)));
      if (current.containsKey(labels)) {
        throw new RuleException("vector contains metrics with the same labelset after applying alert labels");
      }
      Long restored = restoredActiveAt.get(labels);
      Alert alert = new Alert(labels, annotations, sample.value(), restored == null ? timeMillis : Math.min(timeMillis, restored));
      alert.fireNotBefore = restored == null ? holdUntil : 0;
      current.put(labels, alert);
    }
    restoredActiveAt = Map.of();
    for (Map.Entry<Labels, Alert> entry : current.entrySet()) {
      Alert known = active.get(entry.getKey());
      if (known != null && known.state != Alert.State.INACTIVE) {
        known.value = entry.getValue().value;
        known.annotations = entry.getValue().annotations;
      } else {
        active.put(entry.getKey(), entry.getValue());
      }
    }
    List<QueryResult.Sample> samples = new ArrayList<>();
    int activeCount = 0;
    for (Iterator<Map.Entry<Labels, Alert>> it = active.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Labels, Alert> entry = it.next();
      Alert alert = entry.getValue();
      if (!current.containsKey(entry.getKey())) {
        boolean keepFiring = false;
        if (alert.state == Alert.State.FIRING && definition().keepFiringForMillis() > 0) {
          if (alert.keepFiringSince == 0) {
            alert.keepFiringSince = timeMillis;
          }
          keepFiring = timeMillis - alert.keepFiringSince < definition().keepFiringForMillis();
        }
        if (alert.state == Alert.State.PENDING
          || (alert.resolvedAt != 0 && timeMillis - alert.resolvedAt > RESOLVED_RETENTION_MILLIS)) {
          it.remove();
        }
        if (alert.state != Alert.State.INACTIVE && !keepFiring) {
          alert.state = Alert.State.INACTIVE;
          alert.resolvedAt = timeMillis;
        }
        if (!keepFiring) {
          continue;
        }
      } else {
        alert.keepFiringSince = 0;
      }
      activeCount++;
      boolean held = timeMillis < alert.fireNotBefore;
      if (alert.state == Alert.State.PENDING && timeMillis - alert.activeAt >= definition().forMillis() && !held) {
        alert.state = Alert.State.FIRING;
        alert.firedAt = timeMillis;
      }
      samples.add(new QueryResult.Sample(alert.labels().with(Labels.METRIC_NAME, ALERTS)
        .with(ALERT_STATE, alert.state == Alert.State.FIRING ? "firing" : "pending"), timeMillis, 1));
      samples.add(new QueryResult.Sample(alert.labels().with(Labels.METRIC_NAME, ALERTS_FOR_STATE), timeMillis,
        Math.floorDiv(alert.activeAt, 1000)));
    }
    if (limit > 0 && activeCount > limit) {
      active.clear();
      throw new RuleException("exceeded limit of " + limit + " with " + activeCount + " alerts");
    }
    return samples;
  }

  /** The alerts of the same rule before a reload. */
  void takeAlertsFrom(AlertingRule old) {
    active.putAll(old.active);
  }

  /**
   * Takes over the {@code for} state another evaluator left ({@code ALERTS_FOR_STATE}: when each alert
   * became active): an alert the next evaluation finds active again keeps that time, so one that was
   * pending stays pending for the rest of its {@code for}, and one that was firing fires at once.
   */
  public void restore(Map<Labels, Long> activeAtByLabels) {
    restoredActiveAt = Map.copyOf(activeAtByLabels);
  }

  /**
   * After a start or a takeover, the samples of the time nbnet was down may still be on their way (a
   * spool draining): an alert that becomes active now, not one whose {@code for} state was restored,
   * fires no earlier than {@code millis} (the start plus one lookback), so {@code absent()} and
   * thresholds over a gap do not page for nbnet's own outage.
   */
  public void holdNewAlertsUntil(long millis) {
    holdUntil = millis;
  }

  /**
   * The alerts to send to Alertmanager after an evaluation at {@code timeMillis}, as Prometheus picks
   * them: firing ones not sent within {@code resendDelayMillis}, and those resolved since last sent.
   * Each is marked sent and valid for four evaluations (or resend delays) from now.
   */
  public List<Alert> toSend(long timeMillis, long resendDelayMillis, long intervalMillis) {
    List<Alert> due = new ArrayList<>();
    for (Alert alert : active.values()) {
      if (alert.state == Alert.State.PENDING) {
        continue;
      }
      if (alert.resolvedAt > alert.lastSentAt || alert.lastSentAt + resendDelayMillis < timeMillis) {
        alert.lastSentAt = timeMillis;
        alert.validUntil = timeMillis + 4 * Math.max(resendDelayMillis, intervalMillis);
        due.add(alert);
      }
    }
    return due;
  }

  /** As Prometheus: a template that cannot run leaves its error as the text, and the alert still fires. */
  private static String expand(Template template, Template.Data data) {
    try {
      return template.expand(data);
    } catch (TemplateException e) {
      return "<error expanding template: " + e.getMessage() + ">";
    } catch (RuntimeException e) {
      return "<error expanding template: " + e + ">";
    }
  }
}
