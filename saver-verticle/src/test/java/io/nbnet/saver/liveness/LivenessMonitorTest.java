package io.nbnet.saver.liveness;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nbnet.saver.LivenessConfig;
import io.nbnet.saver.alerting.AlertmanagerClient;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.Store;
import io.nbnet.store.StoreConfig;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.metrics.NbnetMeters;
import io.nbnet.support.testing.Await;
import io.nbnet.support.testing.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Host liveness on a real MariaDB, with a real HTTP server standing in for Alertmanager: statuses
 * from when hosts were last heard, one alert per transition however many savers check, one grouped
 * alert when many hosts go silent together.
 */
@ExtendWith(VertxExtension.class)
class LivenessMonitorTest {

  private static final StoreConfig STORE = StoreConfig.from(ConfigView.of(new JsonObject(), "saver"), new ArrayList<>());
  private static final long SILENT_AFTER = 60_000;

  private Vertx vertx;
  private TestDatabase database;
  private MySqlConfig mysql;
  private HttpServer alertmanager;
  private final List<JsonArray> posted = new CopyOnWriteArrayList<>();
  private LogCapture log;
  private List<String> logged;
  private final List<LivenessMonitor> monitors = new ArrayList<>();
  private final List<Store> stores = new ArrayList<>();

  @BeforeAll
  static void countMeters() {
    if (Metrics.globalRegistry.getRegistries().isEmpty()) {
      Metrics.addRegistry(new SimpleMeterRegistry());
    }
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    database = new TestDatabase(vertx);
    mysql = MySqlConfig.from(ConfigView.of(database.mysqlConfig(), "mysql"));
    Await.result(Store.createSchema(vertx, mysql, STORE));
    alertmanager = Await.result(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      posted.add(body.toJsonArray());
      request.response().setStatusCode(200).end();
    })).listen(0, "127.0.0.1"));
    log = LogCapture.of(LivenessMonitor.class.getName(), AlertmanagerClient.class.getName());
    logged = log.lines();
  }

  @AfterEach
  void stop() throws Exception {
    log.close();
    for (LivenessMonitor monitor : monitors) {
      Await.result(monitor.stop());
    }
    for (Store store : stores) {
      Await.result(store.stop());
    }
    Await.result(alertmanager.close());
    database.close();
  }

  @Test
  @DisplayName("hosts are reporting, late after two intervals or silent after silentAfterMs; silence and return are logged and alerted once each")
  void statusesFollowLastHeard() throws Exception {
    long now = System.currentTimeMillis();
    host("on-time", now - 5_000, 10_000);
    host("late", now - 25_000, 10_000);
    host("gone", now - 120_000, 10_000);
    host("legacy-unknown-interval", now - 45_000, 0); // 30 s assumed: late only after 60 s
    LivenessMonitor monitor = monitor(webhook());

    Await.result(monitor.check());
    assertEquals("reporting", status("on-time"));
    assertEquals("late", status("late"));
    assertEquals("silent", status("gone"));
    assertEquals("reporting", status("legacy-unknown-interval"));
    assertEquals(now - 120_000 + SILENT_AFTER, statusSince("gone"));
    assertEquals(2, gauge("reporting"));
    assertEquals(1, gauge("late"));
    assertEquals(1, gauge("silent"));
    assertTrue(logged.stream().anyMatch(line -> line.startsWith("host gone went silent: nothing from it since")), logged.toString());
    assertEquals(1, posted.size());
    JsonObject firing = posted.get(0).getJsonObject(0);
    assertEquals("NbnetHostSilent", firing.getJsonObject("labels").getString("alertname"));
    assertEquals("gone", firing.getJsonObject("labels").getString("host"));
    assertFalse(firing.containsKey("endsAt"));

    // nothing changed: no alert, no log line
    Await.result(monitor.check());
    assertEquals(1, posted.size());

    database.execute("UPDATE samples_hosts SET last_received = " + System.currentTimeMillis() + " WHERE host = 'gone'");
    Await.result(monitor.check());
    assertEquals("reporting", status("gone"));
    assertEquals(3, gauge("reporting"));
    assertEquals(0, gauge("silent"));
    assertTrue(logged.stream().anyMatch(line -> line.matches("host gone reports again after \\d+ s silent")), logged.toString());
    assertEquals(2, posted.size());
    JsonObject resolved = posted.get(1).getJsonObject(0);
    assertEquals("gone", resolved.getJsonObject("labels").getString("host"));
    assertEquals(firing.getString("startsAt"), resolved.getString("startsAt"));
    assertTrue(resolved.containsKey("endsAt"));
  }

  @Test
  @DisplayName("after a restart a host is silent only for time the saver was up to hear it; one already silent stays silent")
  void restartDoesNotCountItsOwnDowntime() throws Exception {
    long now = System.currentTimeMillis();
    host("was-reporting", now - 1_800_000, 10_000);
    host("was-silent", now - 1_800_000, 10_000);
    database.execute("UPDATE samples_hosts SET status = 'silent', status_since = " + (now - 1_740_000) + " WHERE host = 'was-silent'");
    long upSince = now - SILENT_AFTER + 2_000;
    LivenessMonitor monitor = monitor(webhook(), 60_000, upSince);

    Await.result(monitor.check());
    // late (it missed intervals since the start), not silent: 30 minutes of nbnet's own downtime are not the host's silence
    assertEquals("late", status("was-reporting"));
    assertEquals("silent", status("was-silent"));
    assertTrue(posted.isEmpty(), "no alert and no resolution: " + posted);
    assertTrue(logged.stream().noneMatch(line -> line.contains("went silent") || line.contains("reports again")), logged.toString());
    assertEquals(1, gauge("silent"), "only the host recorded silent counts as silent");

    // silentAfterMs after the start, the host that still sends nothing is silent, since then
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> {
      Await.result(monitor.check());
      return "silent".equals(status("was-reporting"));
    });
    assertEquals(upSince + SILENT_AFTER, statusSince("was-reporting"));
    assertEquals(1, posted.size());
    assertEquals("was-reporting", posted.get(0).getJsonObject(0).getJsonObject("labels").getString("host"));
  }

  @Test
  @DisplayName("two savers checking the same hosts raise each alert once")
  void twoSaversAlertOnce() throws Exception {
    long now = System.currentTimeMillis();
    for (int i = 0; i < 10; i++) {
      host("web-" + i, now - 1_000, 10_000);
    }
    host("db-1", now - 90_000, 10_000);
    LivenessMonitor first = monitor(webhook());
    LivenessMonitor second = monitor(webhook());

    Await.result(Future.all(first.check(), second.check()));
    Await.result(Future.all(first.check(), second.check()));
    assertEquals(1, posted.size(), posted.toString());
    assertEquals("db-1", posted.get(0).getJsonObject(0).getJsonObject("labels").getString("host"));
    assertEquals(1, logged.stream().filter(line -> line.startsWith("host db-1 went silent")).count(), logged.toString());
  }

  @Test
  @DisplayName("when more than groupShare of the hosts go silent in one check, one grouped alert names them, and one resolves it")
  void manySilentAtOnceAreGrouped() throws Exception {
    long now = System.currentTimeMillis();
    for (int i = 0; i < 25; i++) {
      host(String.format("rack-%02d", i), i < 20 ? now - 90_000 : now - 1_000, 10_000);
    }
    LivenessMonitor monitor = monitor(webhook());

    Await.result(monitor.check());
    assertEquals(1, posted.size());
    JsonArray alerts = posted.get(0);
    assertEquals(1, alerts.size(), alerts.encode());
    JsonObject group = alerts.getJsonObject(0);
    assertEquals("NbnetHostsSilent", group.getJsonObject("labels").getString("alertname"));
    String summary = group.getJsonObject("annotations").getString("summary");
    assertTrue(summary.startsWith("20 hosts went silent together: rack-00, rack-01"), summary);
    assertEquals(20, gauge("silent"));

    database.execute("UPDATE samples_hosts SET last_received = " + System.currentTimeMillis() + " WHERE host < 'rack-10'");
    Await.result(monitor.check());
    assertEquals(1, posted.size(), "the group resolves when all its hosts are back");
    database.execute("UPDATE samples_hosts SET last_received = " + System.currentTimeMillis());
    Await.result(monitor.check());
    assertEquals(2, posted.size());
    JsonObject resolved = posted.get(1).getJsonObject(0);
    assertEquals(group.getJsonObject("labels"), resolved.getJsonObject("labels"));
    assertTrue(resolved.containsKey("endsAt"));
  }

  @Test
  @DisplayName("a host still silent is alerted again every resendMs, so Alertmanager does not expire the alert; once back, one resolution")
  void stillSilentHostsAreAlertedAgain() throws Exception {
    host("gone", System.currentTimeMillis() - 120_000, 10_000);
    LivenessMonitor monitor = monitor(webhook(), 1);

    Await.result(monitor.check());
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> {
      Await.result(monitor.check());
      return posted.size() >= 2;
    });
    JsonObject first = posted.get(0).getJsonObject(0);
    JsonObject again = posted.get(1).getJsonObject(0);
    assertEquals(first.getJsonObject("labels"), again.getJsonObject("labels"));
    assertEquals(first.getString("startsAt"), again.getString("startsAt"));
    assertFalse(again.containsKey("endsAt"), "still firing");

    database.execute("UPDATE samples_hosts SET last_received = " + System.currentTimeMillis() + " WHERE host = 'gone'");
    Await.result(monitor.check());
    JsonObject last = posted.get(posted.size() - 1).getJsonObject(0);
    assertTrue(last.containsKey("endsAt"), "resolved");
    int afterResolution = posted.size();
    Await.result(monitor.check());
    assertEquals(afterResolution, posted.size(), "nothing is re-sent for a host that reports");
  }

  @Test
  @DisplayName("a webhook that cannot be reached is logged without its URL, which may hold a token")
  void unreachableWebhookKeepsItsSecret() throws Exception {
    host("gone", System.currentTimeMillis() - 120_000, 10_000);
    LivenessMonitor monitor = monitor("http://127.0.0.1:1/api/v2/alerts?token=s3cret-token");

    Await.result(monitor.check());
    assertEquals("silent", status("gone"));
    assertTrue(logged.stream().anyMatch(line -> line.startsWith("cannot post 1 alert(s) to 127.0.0.1")), logged.toString());
    assertFalse(logged.stream().anyMatch(line -> line.contains("s3cret")), logged.toString());
  }

  private String webhook() {
    return "http://127.0.0.1:" + alertmanager.actualPort() + "/api/v2/alerts";
  }

  /** A monitor as one saver runs it, on a store of its own; checks are driven by the test. */
  private LivenessMonitor monitor(String webhookUrl) {
    return monitor(webhookUrl, 60_000);
  }

  private LivenessMonitor monitor(String webhookUrl, long resendMillis) {
    // a saver up for an hour: it heard whatever the hosts sent
    return monitor(webhookUrl, resendMillis, System.currentTimeMillis() - 3_600_000);
  }

  private LivenessMonitor monitor(String webhookUrl, long resendMillis, long upSince) {
    Store store = Store.open(vertx, "mysql", STORE, mysql);
    stores.add(store);
    LivenessConfig config = LivenessConfig.from(ConfigView.of(new JsonObject().put("silentAfterMs", SILENT_AFTER)
      .put("checkIntervalMs", 600_000).put("webhookUrl", webhookUrl).put("resendMs", resendMillis), "liveness"));
    LivenessMonitor monitor = new LivenessMonitor(vertx, store, config, upSince);
    monitors.add(monitor);
    return monitor;
  }

  private void host(String name, long lastReceived, long intervalMillis) {
    database.query("INSERT INTO samples_hosts (host, first_received, last_received, last_ts, interval_ms) VALUES (?, ?, ?, ?, ?)",
      name, lastReceived - 3_600_000, lastReceived, lastReceived, intervalMillis);
  }

  private String status(String host) {
    return database.query("SELECT status FROM samples_hosts WHERE host = ?", host).get(0).getString(0);
  }

  private long statusSince(String host) {
    return database.count("SELECT status_since FROM samples_hosts WHERE host = ?", host);
  }

  private static double gauge(String status) {
    return NbnetMeters.registry().get("nbnet.hosts").tag("status", status).gauge().value();
  }

}
