package io.nbnet.saver.alerting;

import io.nbnet.wire.tls.ClientTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;

import java.net.URI;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Posts alerts as Prometheus posts them to Alertmanager ({@code POST /api/v2/alerts}, a JSON array).
 * A failure is logged with the endpoint's host only (its URL may carry a token; the credentials never
 * appear) and not retried: the next send carries the alerts again.
 */
public final class AlertmanagerClient {

  private static final Logger log = Logger.getLogger(AlertmanagerClient.class.getName());
  private static final long TIMEOUT_MILLIS = 10_000;

  private final HttpClient client;
  private final URI endpoint;
  private final Optional<String> authorization;

  /** @param endpoint the full URL posted to ({@code http://am:9093/api/v2/alerts}) */
  public AlertmanagerClient(Vertx vertx, URI endpoint, Optional<String> authorization, Optional<ClientTls> tls) {
    this.endpoint = endpoint;
    this.authorization = authorization;
    HttpClientOptions options = new HttpClientOptions().setSsl("https".equals(endpoint.getScheme()));
    tls.ifPresent(t -> t.applyTo(options));
    this.client = vertx.createHttpClient(options);
  }

  /** Succeeds once the alerts were taken (2xx) or the failure was logged. */
  public Future<Void> post(JsonArray alerts) {
    if (alerts.isEmpty()) {
      return Future.succeededFuture();
    }
    int port = endpoint.getPort() > 0 ? endpoint.getPort() : "https".equals(endpoint.getScheme()) ? 443 : 80;
    String path = (endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath())
      + (endpoint.getRawQuery() == null ? "" : "?" + endpoint.getRawQuery());
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(endpoint.getHost()).setPort(port).setURI(path)
      .putHeader("content-type", "application/json").setTimeout(TIMEOUT_MILLIS);
    authorization.ifPresent(value -> request.putHeader("authorization", value));
    return client.request(request)
      .compose(req -> req.send(alerts.toBuffer()))
      .compose(response -> response.statusCode() / 100 == 2 ? Future.<Void>succeededFuture()
        : Future.failedFuture("HTTP " + response.statusCode()))
      .recover(failure -> {
        log.warning("cannot post " + alerts.size() + " alert(s) to " + endpoint.getHost() + ": " + withoutQuery(failure.getMessage()));
        return Future.succeededFuture();
      });
  }

  /** Vert.x names the request in some messages (a timeout): its query string may hold a token. */
  private String withoutQuery(String message) {
    String query = endpoint.getRawQuery();
    return message == null || query == null ? String.valueOf(message) : message.replace(query, "...");
  }

  public Future<Void> close() {
    return client.close();
  }
}
