package io.nbnet.saver.rules;

import io.nbnet.rules.Alert;
import io.nbnet.rules.AlertingRule;
import io.nbnet.saver.RulesConfig;
import io.nbnet.saver.alerting.AlertmanagerClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Alerts as Prometheus sends them to Alertmanager: labels with the external labels added where missing,
 * annotations, {@code startsAt} (when it fired), {@code endsAt} (when it resolved, or until when it
 * holds without news), {@code generatorURL}; posted to every configured Alertmanager.
 */
final class AlertNotifier {

  private final RulesConfig config;
  private final List<AlertmanagerClient> clients = new ArrayList<>();

  AlertNotifier(Vertx vertx, RulesConfig config) {
    this.config = config;
    for (RulesConfig.Alertmanager alertmanager : config.alertmanagers()) {
      String base = alertmanager.receiver().url().toString();
      URI endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v2/alerts");
      clients.add(new AlertmanagerClient(vertx, endpoint, alertmanager.receiver().authorization(), alertmanager.tls()));
    }
  }

  JsonObject json(Alert alert, AlertingRule rule) {
    JsonObject labels = new JsonObject();
    alert.labels().toMap().forEach(labels::put);
    config.externalLabels().forEach((name, value) -> {
      if (!labels.containsKey(name) && !value.isEmpty()) {
        labels.put(name, value);
      }
    });
    JsonObject annotations = new JsonObject();
    alert.annotations().forEach(annotations::put);
    long endsAt = alert.resolvedAt() != 0 ? alert.resolvedAt() : alert.validUntil();
    return new JsonObject()
      .put("labels", labels)
      .put("annotations", annotations)
      .put("startsAt", Instant.ofEpochMilli(alert.firedAt()).toString())
      .put("endsAt", Instant.ofEpochMilli(endsAt).toString())
      .put("generatorURL", config.externalUrl() + "/graph?g0.expr=" + URLEncoder.encode(rule.definition().expr(), StandardCharsets.UTF_8)
        + "&g0.tab=1");
  }

  Future<Void> send(JsonArray alerts) {
    if (alerts.isEmpty() || clients.isEmpty()) {
      return Future.succeededFuture();
    }
    return Future.all(clients.stream().map(client -> client.post(alerts)).toList()).mapEmpty();
  }

  Future<Void> close() {
    return Future.all(clients.stream().map(AlertmanagerClient::close).toList()).mapEmpty();
  }

  /** Prometheus's strings for a state in the rules and alerts APIs. */
  static String state(Alert.State state) {
    return state.name().toLowerCase(java.util.Locale.ROOT);
  }

  static JsonObject map(Map<String, String> values) {
    JsonObject json = new JsonObject();
    values.forEach(json::put);
    return json;
  }
}
