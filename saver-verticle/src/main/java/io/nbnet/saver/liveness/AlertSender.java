package io.nbnet.saver.liveness;

import io.nbnet.saver.alerting.AlertmanagerClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Posts alerts the way Prometheus does to Alertmanager ({@code POST /api/v2/alerts}, a JSON array):
 * a firing alert has {@code startsAt}, a resolved one also {@code endsAt}. Failures are logged with the
 * endpoint's host only (its URL may carry a token) and not retried: the next transition is sent anyway
 * ({@link AlertmanagerClient}).
 */
final class AlertSender {

  /** One alert: its labels identify it; resolved when {@code endsAt} is set. */
  record Alert(String name, JsonObject labels, String summary, long startsAt, Long endsAt) {
    JsonObject json() {
      JsonObject json = new JsonObject()
        .put("labels", labels.copy().put("alertname", name).put("service", "nbnet"))
        .put("annotations", new JsonObject().put("summary", summary))
        .put("startsAt", Instant.ofEpochMilli(startsAt).toString());
      if (endsAt != null) {
        json.put("endsAt", Instant.ofEpochMilli(endsAt).toString());
      }
      return json;
    }
  }

  private final AlertmanagerClient client;

  AlertSender(Vertx vertx, URI endpoint) {
    this.client = new AlertmanagerClient(vertx, endpoint, Optional.empty(), Optional.empty());
  }

  /** Succeeds once the alerts were posted or the failure was logged. */
  Future<Void> send(List<Alert> alerts) {
    JsonArray body = new JsonArray();
    alerts.forEach(alert -> body.add(alert.json()));
    return client.post(body);
  }

  Future<Void> close() {
    return client.close();
  }
}
