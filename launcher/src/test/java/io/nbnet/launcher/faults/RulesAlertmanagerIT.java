package io.nbnet.launcher.faults;

import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.wire.testing.RawFrameSocket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Alerting rules end to end with the real Alertmanager 0.25 (Debian's {@code prometheus-alertmanager}): a
 * fleet sends through trans to two savers sharing a database, both with the same rules; one host is
 * made hot. Its alert reaches Alertmanager only once {@code for} has passed, with its labels and
 * rendered annotation; the evaluating saver is killed while the alert fires, the other takes over and
 * Alertmanager keeps it firing throughout (no resolved-then-firing flap: alerts are sent valid for 4 s
 * only, so a new evaluator that restarted {@code for} would let it lapse); cooled, it resolves.
 */
@ExtendWith(VertxExtension.class)
class RulesAlertmanagerIT {

  private static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final List<String> HOSTS = List.of("web-1", "web-2", "db-1", "db-2");
  private static final String HOT = "db-1";
  private static final long FOR_MILLIS = 8_000;
  private static final String RULES = """
    groups:
      - name: cpu
        interval: 1s
        rules:
          - alert: CpuBusy
            expr: 100 - cpu_idle > 90
            for: 8s
            labels:
              severity: page
            annotations:
              summary: 'Host {{ $labels.host }} is {{ $value | printf "%.0f" }}% busy'
    """;

  private final List<NbnetProcess> nbnet = new ArrayList<>();
  private final List<String> observations = new CopyOnWriteArrayList<>();
  /** When the watcher last looked at Alertmanager. */
  private volatile long lastObserved;
  private Process alertmanager;
  private TestDatabase database;
  private volatile boolean sending = true;
  private volatile double hotIdle = 3;

  @TempDir
  Path folder;

  @AfterEach
  void stop() throws Exception {
    sending = false;
    for (NbnetProcess process : nbnet) {
      process.kill9();
    }
    if (alertmanager != null) {
      alertmanager.destroy();
      alertmanager.waitFor(30, TimeUnit.SECONDS);
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  @DisplayName("a hot host fires after for in the real Alertmanager, keeps firing through the evaluating saver's death, resolves when cool")
  void alertSurvivesFailover(Vertx vertx) throws Exception {
    assumeTrue(Files.isExecutable(ALERTMANAGER), "Alertmanager is not installed (apt-get install prometheus-alertmanager)");
    database = new TestDatabase(vertx);
    int alertmanagerPort = StablePorts.free();
    startAlertmanager(alertmanagerPort);
    Path rules = Files.writeString(folder.resolve("cpu.yml"), RULES);
    NbnetProcess first = saver("saver-a", rules, alertmanagerPort);
    NbnetProcess second = saver("saver-b", rules, alertmanagerPort);
    NbnetProcess trans = NbnetProcess.startOnAnyPort(folder, "trans", new JsonObject().put("components", new JsonArray().add("trans"))
      .put("trans", new JsonObject().put("host", "127.0.0.1").put("port", 0)
        .put("savers", new JsonArray().add("127.0.0.1:" + first.port()).add("127.0.0.1:" + second.port()))), "trans");
    nbnet.add(trans);
    Thread sender = new Thread(() -> send(trans.port()), "fleet");
    sender.setDaemon(true);
    sender.start();

    long hotSince = System.currentTimeMillis();
    await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> !alerts(alertmanagerPort).isEmpty());
    long firedSeen = System.currentTimeMillis();
    assertTrue(firedSeen - hotSince >= FOR_MILLIS, "not in Alertmanager before for passed: " + (firedSeen - hotSince) + " ms");
    JsonObject alert = alerts(alertmanagerPort).get(0);
    assertEquals(new JsonObject().put("alertname", "CpuBusy").put("host", HOT).put("severity", "page").put("cluster", "it"),
      alert.getJsonObject("labels"));
    assertEquals("Host db-1 is 97% busy", alert.getJsonObject("annotations").getString("summary"));
    assertEquals(1, alerts(alertmanagerPort).size(), "only the hot host alerts");

    // which saver evaluates: the one whose log says it sent; kill it while the alert fires, and watch Alertmanager meanwhile
    NbnetProcess evaluating = first.metric("nbnet_rules_alerts_sent_total") > 0 ? first : second;
    NbnetProcess survivor = evaluating == first ? second : first;
    Thread watcher = new Thread(() -> watch(alertmanagerPort), "watcher");
    watcher.setDaemon(true);
    watcher.start();
    evaluating.kill9();
    long killedAt = System.currentTimeMillis();
    try {
      await().atMost(30, TimeUnit.SECONDS).until(() -> survivor.metric("nbnet_rules_alerts_sent_total") > 0);
    } catch (Exception e) {
      throw new AssertionError("the survivor (" + survivor.name() + ", alive: " + survivor.isAlive() + ") did not take over; its log:\n"
        + tail(survivor.log()) + "\nthe killed saver's:\n" + tail(evaluating.log()), e);
    }
    // watched past the validity (4 s) of the last alert the dead saver sent: only the survivor keeps it firing now
    await().atMost(30, TimeUnit.SECONDS).until(() -> lastObserved >= killedAt + 6_000);
    List<String> seen = List.copyOf(observations);
    assertTrue(seen.size() > 20, "watched Alertmanager through the failover: " + seen.size());
    assertTrue(seen.stream().allMatch(o -> o.equals("firing")), "the alert stayed firing through the failover (no flap): " + seen);
    assertTrue(survivor.log().contains("for state of 1 alert(s) taken over"), "the survivor restored the for state");

    hotIdle = 60;
    await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> alerts(alertmanagerPort).isEmpty());
    System.out.printf("rules: alert in Alertmanager %d ms after the host turned hot (for 8 s), firing throughout the evaluating saver's "
      + "death (%d observations), resolved %d s after it%n", firedSeen - hotSince, seen.size(),
      (System.currentTimeMillis() - killedAt) / 1000);
    sending = false;
  }

  private NbnetProcess saver(String name, Path rules, int alertmanagerPort) throws Exception {
    NbnetProcess saver = NbnetProcess.startOnAnyPort(folder, name, new JsonObject().put("components", new JsonArray().add("saver"))
      .put("monitor", new JsonObject().put("host", "127.0.0.1").put("port", 0))
      .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig())
        .put("http", new JsonObject().put("port", 0))
        .put("rules", new JsonObject().put("files", new JsonArray().add(rules.toString())).put("evaluationDelayMs", 0)
          .put("resendDelayMs", 1_000).put("externalLabels", new JsonObject().put("cluster", "it"))
          .put("alertmanagers", new JsonArray().add(new JsonObject().put("url", "http://127.0.0.1:" + alertmanagerPort))))), "saver");
    nbnet.add(saver);
    return saver;
  }

  /** The fleet: every 500 ms each host's CPU idle now, the hot one's as the test sets it. */
  private void send(int port) {
    long sequence = 0;
    while (sending) {
      try (RawFrameSocket socket = new RawFrameSocket(port)) {
        while (sending) {
          long now = System.currentTimeMillis();
          for (String host : HOSTS) {
            double idle = host.equals(HOT) ? hotIdle : 70;
            socket.request(NativeFormat.encode(host, ++sequence, List.of(Sample.numeric(host, now, "cpu.idle", "", idle)))
              .toString(StandardCharsets.UTF_8));
          }
          Thread.sleep(500);
        }
      } catch (Exception e) {
        // trans restarting its link: send again
      }
    }
  }

  /** Every 100 ms: is the alert firing in Alertmanager? */
  private void watch(int port) {
    while (sending && observations.size() < 10_000) {
      try {
        List<JsonObject> alerts = alerts(port);
        observations.add(alerts.isEmpty() ? "absent" : alerts.get(0).getJsonObject("status").getString("state").equals("active")
          && Instant.parse(alerts.get(0).getString("endsAt")).isAfter(Instant.now()) ? "firing" : "lapsed");
        lastObserved = System.currentTimeMillis();
        Thread.sleep(100);
      } catch (Exception e) {
        observations.add("error " + e);
      }
    }
  }

  private static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static List<JsonObject> alerts(int port) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/alerts")).build(),
      HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonArray(response.body()).stream().map(JsonObject.class::cast).toList();
  }

  private void startAlertmanager(int port) throws Exception {
    Path config = Files.writeString(folder.resolve("alertmanager.yml"), """
      route:
        receiver: nowhere
        group_wait: 1s
      receivers:
        - name: nowhere
      """);
    alertmanager = new ProcessBuilder(ALERTMANAGER.toString(), "--config.file=" + config, "--storage.path=" + folder.resolve("am"),
      "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
      .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("alertmanager.log").toFile())).start();
    await().atMost(30, TimeUnit.SECONDS).until(() -> NbnetProcess.listening(port));
  }
}
