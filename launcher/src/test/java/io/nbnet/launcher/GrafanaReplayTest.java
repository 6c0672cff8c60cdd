package io.nbnet.launcher;

import io.nbnet.launcher.testing.LoggedPorts;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Grafana 10/11's Prometheus data source asks of nbnet, replayed against a saver fed by a real
 * collector sampling this machine (Grafana itself cannot be installed here): "Save &amp; test", the host
 * variable of {@code deploy/grafana/nbnet-host-promql.json}, and every panel of that dashboard as the
 * POSTed range query Grafana sends, each answering data.
 */
@ExtendWith(VertxExtension.class)
class GrafanaReplayTest {

  private static final String HOST = "grafana-host";
  private static final Path DASHBOARD = Path.of("../deploy/grafana/nbnet-host-promql.json");
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final List<String> deployments = new ArrayList<>();
  private static TestDatabase database;
  private static int apiPort;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    try (LoggedPorts ports = LoggedPorts.capture()) {
      deployments.add(deploy(vertx, new JsonObject().put("components", new JsonArray().add("saver"))
        .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig())
          .put("http", new JsonObject().put("port", 0)))));
      int saverPort = ports.server("saver");
      apiPort = ports.server("dashboard");
      deployments.add(deploy(vertx, new JsonObject().put("components", new JsonArray().add("collector"))
        .put("collector", new JsonObject().put("host", HOST).put("intervalMs", 1_000)
          .put("trans", new JsonObject().put("enabled", false).put("address", "127.0.0.1:1"))
          .put("saver", new JsonObject().put("address", "127.0.0.1:" + saverPort)))));
    }
    // two samplings at least: the per-second rates need a reading before them
    await().atMost(60, TimeUnit.SECONDS).until(() -> database.count("SELECT COUNT(*) FROM samples_all WHERE host = ? AND metric = ?", HOST,
      "net.rx_bytes_per_s") >= 2);
  }

  @AfterAll
  static void stop(Vertx vertx) {
    for (String deployment : deployments) {
      Await.result(vertx.undeploy(deployment), 60);
    }
    database.close();
  }

  @Test
  @DisplayName("Save & test: buildinfo, then the instant query 1+1, as Grafana's health check asks them")
  void saveAndTest() throws Exception {
    JsonObject buildinfo = ok(get("/api/v1/status/buildinfo"));
    assertEquals("2.42.0", buildinfo.getJsonObject("data").getString("version"));
    JsonObject health = ok(post("/api/v1/query", "query=1%2B1&time=" + now()));
    assertEquals("scalar", health.getJsonObject("data").getString("resultType"));
    assertEquals("2", health.getJsonObject("data").getJsonArray("result").getString(1));
  }

  @Test
  @DisplayName("opening the host dashboard: its variable's values, the label browser, series, exemplars, and every panel's query")
  void hostDashboard() throws Exception {
    long now = now();
    long sixHoursAgo = now - 6 * 3600;
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    String variable = dashboard.getJsonObject("templating").getJsonArray("list").getJsonObject(0).getString("definition");
    assertEquals("label_values(cpu_idle, host)", variable);
    JsonObject values = ok(get("/api/v1/label/host/values?match[]=" + encode("cpu_idle") + "&start=" + sixHoursAgo + "&end=" + now));
    assertEquals(new JsonArray().add(HOST), values.getJsonArray("data"));
    assertTrue(ok(get("/api/v1/labels?start=" + sixHoursAgo + "&end=" + now)).getJsonArray("data").contains("host"));
    assertFalse(ok(get("/api/v1/series?match[]=" + encode("{__name__=~\"cpu_.*\",host=\"" + HOST + "\"}") + "&start=" + sixHoursAgo
      + "&end=" + now)).getJsonArray("data").isEmpty());
    assertEquals(new JsonArray(), ok(get("/api/v1/query_exemplars?query=" + encode("cpu_idle") + "&start=" + sixHoursAgo + "&end=" + now))
      .getJsonArray("data"));

    for (Object panel : dashboard.getJsonArray("panels")) {
      JsonObject target = ((JsonObject) panel).getJsonArray("targets").getJsonObject(0);
      String expr = target.getString("expr").replace("$host", HOST);
      // the range ends a minute ahead: the newest sampling may be younger than this second
      JsonObject answer = ok(post("/api/v1/query_range", "query=" + encode(expr) + "&start=" + (now - 300) + "&end=" + (now + 60) + "&step=15"));
      assertEquals("matrix", answer.getJsonObject("data").getString("resultType"), expr);
      assertFalse(answer.getJsonObject("data").getJsonArray("result").isEmpty(), "panel " + ((JsonObject) panel).getString("title")
        + " (" + expr + ") has data");
    }
  }

  private static JsonObject ok(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    JsonObject body = new JsonObject(response.body());
    assertEquals("success", body.getString("status"), response.body());
    return body;
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** As Grafana sends a query: a form-encoded POST. */
  private static HttpResponse<String> post(String path, String form) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
      .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
      HttpResponse.BodyHandlers.ofString());
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String deploy(Vertx vertx, JsonObject config) {
    return Await.result(vertx.deployVerticle(new NbnetVerticle(NbnetConfig.parse(config))), 60);
  }
}
