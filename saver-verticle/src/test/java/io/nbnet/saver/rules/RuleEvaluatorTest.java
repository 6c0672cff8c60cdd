package io.nbnet.saver.rules;

import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.saver.SaverConfig;
import io.nbnet.saver.SaverVerticle;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.Section;
import io.nbnet.support.testing.Await;
import io.nbnet.support.testing.LogCapture;
import io.nbnet.wire.testing.RawFrameSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A saver evaluating rules over what it stores: a host made hot is pending, then firing after {@code for}
 * (not before) in {@code /api/v1/alerts} and at the Alertmanager endpoint, with its labels, the external
 * labels and the rendered annotation; the recording rule's series and {@code ALERTS} read back through
 * PromQL; cooled, the alert is sent resolved; a broken rule file leaves the rules as they were.
 */
@ExtendWith(VertxExtension.class)
class RuleEvaluatorTest {

  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String RULES = """
    groups:
      - name: cpu
        interval: 1s
        rules:
          - record: host:cpu_busy
            expr: 100 - cpu_idle
          - alert: CpuHot
            expr: host:cpu_busy > 90
            for: 4s
            labels:
              severity: page
            annotations:
              summary: '{{ $labels.host }} is {{ $value | printf "%.0f" }}% busy in {{ $externalLabels.cluster }}'
    """;

  private final List<JsonObject> posted = new CopyOnWriteArrayList<>();
  private TestDatabase database;
  private volatile double hotIdle = 2;
  private volatile boolean sending = true;

  @AfterEach
  void dropDatabase() {
    sending = false;
    if (database != null) {
      database.close();
    }
  }

  @Test
  @DisplayName("pending, then firing after for with labels and annotations, recorded series and ALERTS in PromQL, resolved when cool;"
    + " a group removed ends its series")
  void alertsFollowTheSamples(Vertx vertx, @TempDir Path folder) throws Exception {
    database = new TestDatabase(vertx);
    Path rules = Files.writeString(folder.resolve("cpu.yml"), RULES);
    HttpServer alertmanager = Await.result(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      if (request.path().equals("/am/api/v2/alerts")) {
        body.toJsonArray().forEach(alert -> posted.add((JsonObject) alert));
      }
      request.response().setStatusCode(200).end();
    })).listen(0, "127.0.0.1"));
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig())
      .put("http", new JsonObject().put("port", 0))
      .put("rules", new JsonObject().put("files", new JsonArray().add(folder.resolve("*.yml").toString())).put("evaluationDelayMs", 0)
        .put("reloadCheckMs", 200).put("externalLabels", new JsonObject().put("cluster", "test-eu"))
        .put("alertmanagers", new JsonArray().add(new JsonObject().put("url", "http://127.0.0.1:" + alertmanager.actualPort() + "/am"))));
    SaverVerticle saver = new SaverVerticle(Section.parse(config, "saver", SaverConfig::from));
    Await.result(vertx.deployVerticle(saver), 60);
    Thread sender = new Thread(() -> send(saver.actualPort()), "samples");
    sender.start();
    int api = saver.apiPort();

    await().atMost(30, TimeUnit.SECONDS).until(() -> alerts(api).stream().anyMatch(a -> a.getString("state").equals("pending")));
    JsonObject pending = alerts(api).get(0);
    assertEquals("hot", pending.getJsonObject("labels").getString("host"));
    assertTrue(posted.isEmpty(), "nothing sent while pending: " + posted);

    await().atMost(30, TimeUnit.SECONDS).until(() -> !posted.isEmpty());
    JsonObject firing = posted.get(0);
    long activeAt = Instant.parse(pending.getString("activeAt")).toEpochMilli();
    assertTrue(Instant.parse(firing.getString("startsAt")).toEpochMilli() - activeAt >= 4_000, "fired after for: " + firing + " " + pending);
    JsonObject labels = firing.getJsonObject("labels");
    assertEquals(new JsonObject().put("alertname", "CpuHot").put("host", "hot").put("severity", "page").put("cluster", "test-eu"), labels);
    assertEquals("hot is 98% busy in test-eu", firing.getJsonObject("annotations").getString("summary"));
    assertTrue(posted.stream().noneMatch(a -> a.getJsonObject("labels").getString("host").equals("cool")), posted.toString());

    await().atMost(30, TimeUnit.SECONDS).until(() -> !query(api, "host:cpu_busy{host=\"hot\"}").isEmpty()
      && !query(api, "ALERTS{alertstate=\"firing\"}").isEmpty());
    assertEquals("98", query(api, "host:cpu_busy{host=\"hot\"}").getJsonObject(0).getJsonArray("value").getString(1));
    assertEquals("20", query(api, "host:cpu_busy{host=\"cool\"}").getJsonObject(0).getJsonArray("value").getString(1));

    // a broken file is refused; the rules before it stay and keep evaluating
    LogCapture log = LogCapture.of(RuleEvaluator.class.getName());
    Files.writeString(folder.resolve("broken.yml"), "groups:\n  - name: x\n    rules:\n      - alert: X\n        expr: up ==\n");
    await().atMost(10, TimeUnit.SECONDS).until(() -> log.lines().stream().anyMatch(l -> l.contains("broken.yml: 5:15")));
    log.close();
    int before = posted.size();
    hotIdle = 50;
    await().atMost(30, TimeUnit.SECONDS).until(() -> posted.size() > before && posted.get(posted.size() - 1).getString("endsAt") != null
      && Instant.parse(posted.get(posted.size() - 1).getString("endsAt")).isBefore(Instant.now().plusSeconds(1)));
    JsonObject resolved = posted.get(posted.size() - 1);
    assertEquals(labels, resolved.getJsonObject("labels"));
    assertFalse(alerts(api).stream().anyMatch(a -> a.getString("state").equals("firing")));

    // the files gone, the group's series end with stale markers: at once, not after the 5 minutes of lookback
    Files.delete(folder.resolve("broken.yml"));
    Files.delete(rules);
    await().atMost(15, TimeUnit.SECONDS).until(() -> query(api, "host:cpu_busy").isEmpty());
    Await.result(alertmanager.close());
  }

  @Test
  @DisplayName("after nbnet's own outage (the rounds stopped 30 min ago), an alert that becomes active waits a lookback before it fires")
  void outageHoldsNewAlerts(Vertx vertx, @TempDir Path folder) throws Exception {
    database = new TestDatabase(vertx);
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig())
      .put("http", new JsonObject().put("port", 0))
      .put("rules", new JsonObject().put("files", new JsonArray().add(folder.resolve("*.yml").toString())).put("evaluationDelayMs", 0)
        .put("reloadCheckMs", 200));
    SaverVerticle saver = new SaverVerticle(Section.parse(config, "saver", SaverConfig::from));
    Await.result(vertx.deployVerticle(saver), 60);
    Path rules = folder.resolve("cpu.yml");
    // the group's last round, as an earlier saver stored it before nbnet went down half an hour ago
    long before = System.currentTimeMillis() - 1_800_000;
    try (RawFrameSocket socket = new RawFrameSocket(saver.actualPort())) {
      String reply = socket.request(NativeFormat.encode("nbnet-rules", 1, List.of(Sample.numeric("nbnet-rules", before,
        RuleEvaluator.LAST_ROUND, "rule_group=" + rules + ";cpu", before / 1000.0))).toString(StandardCharsets.UTF_8));
      assertTrue(reply.startsWith("OK"), reply);
    }
    LogCapture log = LogCapture.of(RuleEvaluator.class.getName());
    Files.writeString(rules, RULES.replace("for: 4s", "for: 0s"));
    Thread sender = new Thread(() -> send(saver.actualPort()), "samples");
    sender.start();
    int api = saver.apiPort();
    await().atMost(30, TimeUnit.SECONDS).until(() -> alerts(api).stream().anyMatch(a -> a.getString("state").equals("pending")));
    long pendingSeen = System.currentTimeMillis();
    assertTrue(log.lines().stream().anyMatch(l -> l.contains("rule group cpu: no round for over 60 s (nbnet was down)")), log.lines().toString());
    log.close();
    // for: 0s fires at the first round without the hold; with it, rounds go by (4 s of them) and it stays pending
    await().atMost(30, TimeUnit.SECONDS).until(() -> lastRound(api) >= pendingSeen + 4_000);
    assertTrue(alerts(api).stream().allMatch(a -> a.getString("state").equals("pending")), alerts(api).toString());
  }

  /** Every 500 ms, the hosts' CPU idle now: the hot one as the test sets it, the cool one at 80. */
  private void send(int port) {
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      long sequence = 0;
      while (sending) {
        long now = System.currentTimeMillis();
        for (String host : List.of("hot", "cool")) {
          double idle = host.equals("hot") ? hotIdle : 80;
          String reply = socket.request(NativeFormat.encode(host, ++sequence, List.of(Sample.numeric(host, now, "cpu.idle", "", idle)))
            .toString(StandardCharsets.UTF_8));
          if (!reply.startsWith("OK")) {
            throw new IllegalStateException(reply);
          }
        }
        Thread.sleep(500);
      }
    } catch (Exception e) {
      if (sending) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** When the group's last round evaluated, from /api/v1/rules. */
  private static long lastRound(int port) throws Exception {
    return Instant.parse(get(port, "/api/v1/rules").getJsonObject("data").getJsonArray("groups").getJsonObject(0)
      .getString("lastEvaluation")).toEpochMilli();
  }

  private static List<JsonObject> alerts(int port) throws Exception {
    JsonObject answer = get(port, "/api/v1/alerts");
    return answer.getJsonObject("data").getJsonArray("alerts").stream().map(JsonObject.class::cast).toList();
  }

  private static JsonArray query(int port, String query) throws Exception {
    return get(port, "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)).getJsonObject("data").getJsonArray("result");
  }

  private static JsonObject get(int port, String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
      HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }
}
