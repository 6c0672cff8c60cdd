package io.nbnet.saver.liveness;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

/**
 * Posts alerts the way Prometheus does to Alertmanager ({@code POST /api/v2/alerts}, a JSON array):
 * a firing alert has {@code startsAt}, a resolved one also {@code endsAt}. Failures are logged with the
 * endpoint's host only (its URL may carry a token) and not retried: the next transition is sent anyway.
 */
final class AlertSender {

  private static final Logger log = Logger.getLogger(AlertSender.class.getName());
  private static final long TIMEOUT_MILLIS = 5_000;

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

  private final HttpClient client;
  private final URI endpoint;

  AlertSender(Vertx vertx, URI endpoint) {
    this.endpoint = endpoint;
    this.client = vertx.createHttpClient(new HttpClientOptions().setSsl("https".equals(endpoint.getScheme())));
  }

  /** Succeeds once the alerts were posted or the failure was logged. */
  Future<Void> send(List<Alert> alerts) {
    if (alerts.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonArray body = new JsonArray();
    alerts.forEach(alert -> body.add(alert.json()));
    int port = endpoint.getPort() > 0 ? endpoint.getPort() : "https".equals(endpoint.getScheme()) ? 443 : 80;
    String path = (endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath())
      + (endpoint.getRawQuery() == null ? "" : "?" + endpoint.getRawQuery());
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(endpoint.getHost()).setPort(port).setURI(path)
      .putHeader("content-type", "application/json").setTimeout(TIMEOUT_MILLIS);
    return client.request(request)
      .compose(req -> req.send(body.toBuffer()))
      .compose(response -> response.statusCode() / 100 == 2 ? Future.<Void>succeededFuture()
        : Future.failedFuture("HTTP " + response.statusCode()))
      .recover(failure -> {
        log.warning("cannot post " + alerts.size() + " alert(s) to the webhook at " + endpoint.getHost() + ": " + failure.getMessage());
        return Future.succeededFuture();
      });
  }

  Future<Void> close() {
    return client.close();
  }
}
