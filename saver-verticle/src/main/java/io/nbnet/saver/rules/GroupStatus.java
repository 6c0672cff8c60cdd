package io.nbnet.saver.rules;

import io.nbnet.rules.Alert;
import io.nbnet.rules.AlertingRule;
import io.nbnet.rules.Rule;
import io.nbnet.rules.RuleDefinition;
import io.nbnet.rules.RuleGroup;
import io.nbnet.rules.template.GoFormat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * One group as its last evaluation left it, in the shapes of Prometheus's {@code /api/v1/rules} and
 * {@code /api/v1/alerts} (Grafana reads them): a snapshot taken on the evaluating thread, read by the API.
 */
public record GroupStatus(JsonObject rules, JsonArray alerts) {

  static GroupStatus of(RuleGroup group, long intervalMillis) {
    JsonArray rules = new JsonArray();
    JsonArray allAlerts = new JsonArray();
    String lastEvaluation = group.lastEvaluation() == 0 ? "0001-01-01T00:00:00Z" : Instant.ofEpochMilli(group.lastEvaluation()).toString();
    for (Rule rule : group.rules()) {
      RuleDefinition definition = rule.definition();
      JsonObject json = new JsonObject()
        .put("name", definition.name())
        .put("query", definition.expr())
        .put("labels", AlertNotifier.map(definition.labels()))
        .put("health", group.lastEvaluation() == 0 ? "unknown" : rule.lastError() == null ? "ok" : "err")
        .put("lastError", rule.lastError() == null ? "" : rule.lastError())
        .put("evaluationTime", 0.0)
        .put("lastEvaluation", lastEvaluation);
      if (rule instanceof AlertingRule alerting) {
        JsonArray alerts = new JsonArray();
        Alert.State state = Alert.State.INACTIVE;
        for (Alert alert : alerting.alerts()) {
          if (alert.state() == Alert.State.INACTIVE) {
            continue;
          }
          if (alert.state().ordinal() > state.ordinal()) {
            state = alert.state();
          }
          JsonObject alertJson = new JsonObject()
            .put("labels", AlertNotifier.map(alert.labels().toMap()))
            .put("annotations", AlertNotifier.map(alert.annotations()))
            .put("state", AlertNotifier.state(alert.state()))
            .put("activeAt", Instant.ofEpochMilli(alert.activeAt()).toString())
            .put("value", GoFormat.formatFloat(alert.value(), 'e', -1));
          alerts.add(alertJson);
          allAlerts.add(alertJson);
        }
        json.put("state", AlertNotifier.state(state))
          .put("duration", definition.forMillis() / 1000.0)
          .put("keepFiringFor", definition.keepFiringForMillis() / 1000.0)
          .put("annotations", AlertNotifier.map(definition.annotations()))
          .put("alerts", alerts)
          .put("type", "alerting");
      } else {
        json.put("type", "recording");
      }
      rules.add(json);
    }
    JsonObject groupJson = new JsonObject()
      .put("name", group.name())
      .put("file", group.definition().file())
      .put("rules", rules)
      .put("interval", intervalMillis / 1000.0)
      .put("limit", group.definition().limit())
      .put("evaluationTime", group.evaluationNanos() / 1e9)
      .put("lastEvaluation", lastEvaluation);
    return new GroupStatus(groupJson, allAlerts);
  }
}
