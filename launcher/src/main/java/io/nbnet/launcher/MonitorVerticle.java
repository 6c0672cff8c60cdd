package io.nbnet.launcher;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nbnet.support.http.HttpGuard;
import io.nbnet.support.metrics.HealthChecks;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.PrometheusRequestHandler;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.Map;
import java.util.logging.Logger;

/**
 * The operator's window into a process: {@code GET /metrics} in the Prometheus text format (Vert.x's
 * own meters, the JVM's and nbnet's {@code nbnet_*}), and {@code GET /health}: 200 with every check
 * UP, 503 otherwise (the saver's check is "mysql": its schema exists and writes succeed).
 */
public class MonitorVerticle extends VerticleBase {

  private static final Logger log = Logger.getLogger(MonitorVerticle.class.getName());

  private final NbnetConfig.MonitorConfig config;
  private HttpServer server;

  public MonitorVerticle(NbnetConfig.MonitorConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    Handler<HttpServerRequest> metrics = BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry prometheus
      ? PrometheusRequestHandler.create(prometheus)
      : request -> request.response().setStatusCode(503).end("metrics are off: the Vert.x options disable Prometheus\n");
    HttpGuard guard = new HttpGuard(vertx, "monitor", config.limits());
    HttpServerOptions options = guard.options(new HttpServerOptions().setHost(config.host()).setPort(config.port()));
    config.tls().ifPresent(tls -> tls.applyTo(options));
    server = guard.guard(vertx.createHttpServer(options), request -> {
      if (guard.refusedBody(request)) {
        return;
      }
      switch (request.path()) {
        case "/metrics" -> metrics.handle(request);
        case "/health" -> health(request);
        default -> request.response().setStatusCode(404).end("try /metrics or /health\n");
      }
    });
    String scheme = config.tls().isPresent() ? "https" : "http";
    return server.listen().onSuccess(s -> log.info("metrics on " + scheme + "://" + config.host() + ":" + s.actualPort()
      + "/metrics, health on /health"));
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  public int actualPort() {
    return server.actualPort();
  }

  private static void health(HttpServerRequest request) {
    Map<String, Boolean> results = HealthChecks.results();
    boolean up = results.values().stream().allMatch(Boolean::booleanValue);
    JsonObject checks = new JsonObject();
    results.forEach((name, ok) -> checks.put(name, ok ? "UP" : "DOWN"));
    request.response()
      .setStatusCode(up ? 200 : 503)
      .putHeader("content-type", "application/json")
      .end(new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks).encode());
  }
}
