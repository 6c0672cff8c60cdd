package io.nbnet.launcher;

import io.nbnet.launcher.testing.LoggedPorts;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.wire.testing.RawFrameSocket;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics and /health of a saver, scraped over real HTTP. */
class MonitorTest {

  private Vertx vertx;
  private TestDatabase database;
  /** HTTP/1.1: the JDK client's h2c upgrade against a Vert.x server now and then never completes. */
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private LoggedPorts ports;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))));
    database = new TestDatabase(vertx);
    ports = LoggedPorts.capture();
  }

  @AfterEach
  void stopVertx() throws Exception {
    ports.close();
    database.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("/metrics shows nbnet's meters (rows per table, protocol errors by kind) and /health says the saver reaches MySQL")
  void servesMetricsAndHealth() throws Exception {
    deploy(database.mysqlConfig());
    int saverPort = ports.server("saver");
    int monitorPort = ports.monitor();
    try (RawFrameSocket socket = new RawFrameSocket(saverPort)) {
      assertEquals("OK", socket.request("{\"Host\": \"monitored\", \"Time\": 1}"));
    }
    try (RawFrameSocket socket = new RawFrameSocket(saverPort)) {
      socket.sendRaw("0000000000");
      socket.readReply();
    }
    HttpResponse<String> metrics = get(monitorPort, "/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("nbnet_saver_rows_total{storage=\"mysql\",table=\"stat_0\"} 1.0"), "rows of the legacy table that took the frame");
    assertTrue(metrics.body().contains("nbnet_protocol_errors_total{kind=\"empty_frame\",server=\"saver\"} 1.0"), metrics.body());
    assertTrue(metrics.body().contains("vertx_net_server_"), "Vert.x's own meters are there too");
    HttpResponse<String> health = get(monitorPort, "/health");
    assertEquals(200, health.statusCode());
    assertEquals(new JsonObject().put("status", "UP").put("checks", new JsonObject().put("mysql", "UP")), new JsonObject(health.body()));
  }

  @Test
  @DisplayName("/health answers 503 while the saver cannot reach MySQL")
  void reportsUnhealthySaver() throws Exception {
    // port 1 of loopback: no MySQL there
    deploy(database.mysqlConfig().copy().put("port", 1));
    int monitorPort = ports.monitor();
    HttpResponse<String> health = get(monitorPort, "/health");
    assertEquals(503, health.statusCode());
    assertEquals("DOWN", new JsonObject(health.body()).getJsonObject("checks").getString("mysql"));
  }

  private void deploy(JsonObject mysql) throws Exception {
    JsonObject config = new JsonObject()
      .put("components", new JsonArray().add("saver"))
      .put("monitor", new JsonObject().put("host", "127.0.0.1").put("port", 0))
      .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", mysql).put("http", new JsonObject().put("port", 0)));
    vertx.deployVerticle(new NbnetVerticle(NbnetConfig.parse(config)))
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
      HttpResponse.BodyHandlers.ofString());
  }
}
