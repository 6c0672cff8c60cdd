package io.nbnet.saver.http;

import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.remotewrite.RemoteWriteLimits;
import io.nbnet.saver.HttpConfig;
import io.nbnet.saver.SaverConfig;
import io.nbnet.saver.SaverVerticle;
import io.nbnet.saver.query.StoreQueries;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.RetentionConfig;
import io.nbnet.store.StoreReader;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.tables.Windows;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.ConfigException;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.config.Section;
import io.nbnet.support.testing.Await;
import io.nbnet.wire.testing.RawFrameSocket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.SqlConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The query API on a saver that stored two hours of a host's samples (compacted into blocks and both
 * rollups, the newest window still staged), read back over real HTTP: every tier gives exactly what
 * the samples say, bad requests get 400, and a reader blocked in MySQL gets 503 in bounded time.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiServerTest {

  private static final String HOST = "api-host";
  private static final long STEP = 10_000;
  /** HTTP/1.1: the JDK client's h2c upgrade against a Vert.x server now and then never completes. */
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static TestDatabase database;
  private static int apiPort;
  private static long start;
  private static long last;

  @BeforeAll
  static void storeTwoHours(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", 0)
      .put("mysql", database.mysqlConfig())
      .put("http", new JsonObject().put("port", 0).put("maxQueries", 2).put("queueWaitMs", 300).put("queryTimeoutMs", 1_500)
        .put("queryShare", 64))
      .put("compaction", new JsonObject().put("graceMs", 0).put("quietMs", 200).put("checkIntervalMs", 100));
    SaverVerticle saver = new SaverVerticle(Section.parse(config, "saver", SaverConfig::from));
    Await.result(vertx.deployVerticle(saver), 60);
    apiPort = saver.apiPort();

    // the newest sample (up to a step and a second back) must still be staged when the headline is read:
    // in the window of now, and that window open for the 20 s this setup may take
    await().atMost(30, TimeUnit.SECONDS).until(() -> {
      long now = System.currentTimeMillis();
      return Windows.windowOf(now - STEP - 1_000) == Windows.windowOf(now + 20_000);
    });
    long now = System.currentTimeMillis();
    start = Windows.hourOf(now) - 2 * Windows.HOUR_MILLIS;
    last = (now - 1_000) / STEP * STEP;
    try (RawFrameSocket socket = new RawFrameSocket(saver.actualPort())) {
      for (long ts = start; ts <= last; ts += STEP) {
        List<Sample> samples = List.of(
          Sample.numeric(HOST, ts, "cpu.idle", "", cpuIdle(ts)),
          Sample.numeric(HOST, ts, "mem.used_bytes", "", 1_000 + index(ts)),
          Sample.numeric(HOST, ts, "mem.total_bytes", "", 4_000),
          Sample.numeric(HOST, ts, "disk.busy_percent", "device=sda", 10),
          Sample.numeric(HOST, ts, "disk.busy_percent", "device=sdb", 30));
        String reply = socket.request(NativeFormat.encode(HOST, index(ts), samples).toString(StandardCharsets.UTF_8));
        assertTrue(reply.startsWith("OK 5"), reply);
      }
    }
    // every window before the newest sample's is compacted; the newest stays staged
    long closedWindows = (Windows.windowOf(last) - start) / Windows.WINDOW_MILLIS;
    await().atMost(60, TimeUnit.SECONDS).until(() -> database.count("SELECT COUNT(*) FROM samples_windows") >= closedWindows
      && database.count("SELECT COUNT(*) FROM samples_compacting") == 0);
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  @Test
  @Order(1) // the headline reads the staged samples: first, while the setup's window is surely still open
  @DisplayName("/api/hosts lists the host as reporting with its headline numbers; /api/series its series")
  void hostsAndSeries() throws Exception {
    // the hosts table learns of frames in batches (every 2 s): wait for the newest one
    JsonObject host = await().atMost(30, TimeUnit.SECONDS).until(() -> new JsonArray(body("/api/hosts", 200)).getJsonObject(0),
      h -> h.getLong("lastSampleTime") == last);
    assertEquals(HOST, host.getString("host"));
    assertEquals("reporting", host.getString("status"));
    assertEquals(last, host.getLong("lastSampleTime"));
    assertEquals(10_000, host.getLong("intervalMs"));
    JsonObject headline = host.getJsonObject("headline");
    assertEquals(100 - cpuIdle(last), headline.getDouble("cpuPercent"), 0.05);
    assertEquals(Math.round(1000.0 * (1_000 + index(last)) / 4_000) / 10.0, headline.getDouble("memoryPercent"), 0.05);
    assertEquals(30, headline.getDouble("diskBusyPercent"));

    JsonArray series = new JsonArray(body("/api/series?host=" + HOST, 200));
    assertEquals(5, series.size(), series.encode());
    assertEquals(new JsonObject().put("metric", "disk.busy_percent").put("tags", "device=sda"), series.getJsonObject(1));
    assertEquals("[]", body("/api/series?host=nobody", 200));
  }

  @Test
  @DisplayName("a range without a step reads raw samples (blocks and staged) exactly as sent")
  void rawTier() throws Exception {
    JsonObject answer = new JsonObject(body("/api/query?host=" + HOST + "&metric=cpu.idle&from=" + start + "&to=" + (last + 1), 200));
    assertEquals("raw", answer.getString("tier"));
    JsonObject series = answer.getJsonArray("series").getJsonObject(0);
    JsonArray t = series.getJsonArray("t");
    JsonArray avg = series.getJsonArray("avg");
    assertEquals((last - start) / STEP + 1, t.size(), "every sample, the staged ones included");
    long step = answer.getLong("step");
    assertTrue(step < STEP, "step " + step);
    for (int i = 0; i < t.size(); i++) {
      long sampleTime = start + i * STEP;
      assertTrue(t.getLong(i) <= sampleTime && sampleTime < t.getLong(i) + step, "the bucket at " + t.getLong(i) + " holds " + sampleTime);
      assertEquals(cpuIdle(sampleTime), avg.getDouble(i));
    }
  }

  @Test
  @DisplayName("step=5m reads the 5-minute rollups (the staged window from raw): each bucket is the mean, min and max of its samples")
  void fiveMinuteTier() throws Exception {
    JsonObject answer = new JsonObject(body("/api/query?host=" + HOST + "&metric=mem.used_bytes&metric=cpu.idle&from=" + start
      + "&to=" + (last + 1) + "&step=5m", 200));
    assertEquals("5m", answer.getString("tier"));
    assertEquals(300_000, answer.getLong("step"));
    JsonArray series = answer.getJsonArray("series");
    assertEquals(List.of("cpu.idle", "mem.used_bytes"), List.of(series.getJsonObject(0).getString("metric"), series.getJsonObject(1).getString("metric")));
    JsonObject memory = series.getJsonObject(1);
    JsonArray t = memory.getJsonArray("t");
    assertEquals((Windows.windowOf(last) - start) / Windows.WINDOW_MILLIS + 1, t.size());
    for (int i = 0; i < t.size(); i++) {
      long bucket = t.getLong(i);
      long first = bucket;
      long lastInBucket = Math.min(last, bucket + Windows.WINDOW_MILLIS - STEP);
      assertEquals(1_000 + (index(first) + index(lastInBucket)) / 2.0, memory.getJsonArray("avg").getDouble(i), 1e-9, "bucket " + bucket);
      assertEquals(1_000 + index(first), memory.getJsonArray("min").getDouble(i));
      assertEquals(1_000 + index(lastInBucket), memory.getJsonArray("max").getDouble(i));
    }
  }

  @Test
  @DisplayName("step=1h reads the hour rollups, the hour in progress from finer tiers; more than 2,000 points grow the step")
  void hourTierAndPointLimit() throws Exception {
    JsonObject answer = new JsonObject(body("/api/query?host=" + HOST + "&metric=mem.used_bytes&from=" + start + "&to=" + (last + 1)
      + "&step=1h", 200));
    assertEquals("1h", answer.getString("tier"));
    JsonObject memory = answer.getJsonArray("series").getJsonObject(0);
    assertEquals(start, memory.getJsonArray("t").getLong(0));
    assertEquals(1_000 + (index(start) + index(start + Windows.HOUR_MILLIS - STEP)) / 2.0, memory.getJsonArray("avg").getDouble(0), 1e-9);
    assertEquals(3, memory.getJsonArray("t").size(), "two closed hours and the one in progress");

    // 30 days in 2,000 points: 1,296 s, rounded up to whole 5-minute buckets
    JsonObject wide = new JsonObject(body("/api/query?host=" + HOST + "&metric=cpu.idle&from=now-30d&step=1s", 200));
    assertEquals("5m", wide.getString("tier"));
    assertEquals(1_500_000, wide.getLong("step"));
    assertTrue(wide.getJsonArray("series").getJsonObject(0).getJsonArray("t").size() <= 2_000);

    JsonObject averages = new JsonObject(body("/api/query?host=" + HOST + "&metric=cpu.idle&step=1h&fields=avg", 200))
      .getJsonArray("series").getJsonObject(0);
    assertEquals(List.of("metric", "tags", "t", "avg"), List.copyOf(averages.fieldNames()));
  }

  @Test
  @DisplayName("bad parameters get 400 with a message, unknown endpoints 404")
  void badRequests() throws Exception {
    assertTrue(body("/api/query?host=" + HOST, 400).contains("metric is required"));
    assertTrue(body("/api/query?host=" + HOST + "&metric=cpu.idle&from=yesterday", 400).contains("from: epoch milliseconds"));
    assertTrue(body("/api/query?host=" + HOST + "&metric=cpu.idle&from=now&to=now-1h", 400).contains("from must be before to"));
    assertTrue(body("/api/query?host=" + HOST + "&metric=cpu.idle&step=fast", 400).contains("step: a duration"));
    assertTrue(body("/api/query?host=" + HOST + "&metric=cpu.idle&fields=avg,median", 400).contains("fields: a comma-separated list"));
    assertTrue(body("/api/series", 400).contains("host is required"));
    assertTrue(body("/api/nothing", 404).contains("no such endpoint"));
    assertTrue(body("/api/query?host=" + HOST + "&metric=cpu.idle&from=-1&to=9223372036854775807", 400).contains("from: a time from 0"));
  }

  @Test
  @DisplayName("a body sent to an endpoint that takes none is refused with 413 before it is read, and the connection closed")
  void bodiesAreRefusedUnread() throws Exception {
    HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/hosts"))
        .method("GET", HttpRequest.BodyPublishers.ofString("x".repeat(1_000))).timeout(java.time.Duration.ofSeconds(30)).build(),
      HttpResponse.BodyHandlers.ofString());
    assertEquals(413, refused.statusCode(), refused.body());
    assertEquals("close", refused.headers().firstValue("connection").orElse(""));
    assertEquals(200, http.send(request("/api/hosts"), HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  @Test
  @DisplayName("HTTP/2 over plaintext (h2c) is not offered: a client asking to upgrade gets HTTP/1.1")
  void noH2c() throws Exception {
    HttpClient http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> answered = http2.send(request("/api/hosts"), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answered.statusCode());
    assertEquals(HttpClient.Version.HTTP_1_1, answered.version());
  }

  @Test
  @DisplayName("readers blocked in MySQL are stopped by the statement time limit, and those beyond maxQueries get 503 at once")
  void blockedReadersAreBounded(Vertx vertx) throws Exception {
    SqlConnection locker = Await.result(database.pool().getConnection(), 60);
    try {
      Await.result(locker.query("LOCK TABLES samples_hosts WRITE").execute(), 60);
      long began = System.nanoTime();
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        answers.add(http.sendAsync(request("/api/hosts"), HttpResponse.BodyHandlers.ofString()));
      }
      List<String> bodies = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
        assertEquals(503, response.statusCode(), response.body());
        bodies.add(response.body());
      }
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
      assertEquals(2, bodies.stream().filter(b -> b.contains("ran past the time limit of 1500 ms")).count(), bodies.toString());
      assertEquals(2, bodies.stream().filter(b -> b.contains("queries running")).count(), bodies.toString());
      assertTrue(tookMillis < 5_000, "took " + tookMillis + " ms");
    } finally {
      Await.result(locker.query("UNLOCK TABLES").execute(), 60);
      Await.result(locker.close(), 60);
    }
    assertEquals(HOST, new JsonArray(body("/api/hosts", 200)).getJsonObject(0).getString("host"));
  }

  @Test
  @DisplayName("with a token the API answers 401 without it and 200 with it; the dashboard's files need none; no token beyond loopback is refused")
  void tokenGuardsTheApi(Vertx vertx) throws Exception {
    HttpConfig config = HttpConfig.from(ConfigView.of(new JsonObject().put("port", 0).put("token", "s3cret"), "http"));
    RetentionConfig retention = RetentionConfig.from(ConfigView.of(new JsonObject(), "retention"), new ArrayList<>());
    StoreReader reader = StoreReader.open(vertx, MySqlConfig.from(ConfigView.of(database.mysqlConfig(), "mysql")),
      StorageLayout.mariaDb("samples_"), 2, 5_000, "api-test");
    SampleWriter noWrites = new SampleWriter() {
      @Override
      public Optional<String> whyUnavailable() {
        return Optional.of("this test stores nothing");
      }

      @Override
      public Future<?> write(List<Sample> samples) {
        return Future.failedFuture("this test stores nothing");
      }
    };
    ApiServer server = new ApiServer(vertx, config, new StoreQueries(reader, Optional.empty(), retention, 10_000), retention,
      RemoteWriteLimits.from(ConfigView.of(new JsonObject(), "remoteWrite")), 600_000, noWrites, () -> 0);
    Await.result(server.listen(), 60);
    try {
      URI hosts = URI.create("http://127.0.0.1:" + server.actualPort() + "/api/hosts");
      HttpResponse<String> refused = http.send(HttpRequest.newBuilder(hosts).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, refused.statusCode());
      assertFalse(refused.body().contains("s3cret"));
      HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/api/v1/write"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, write.statusCode(), "remote write takes the same token");
      HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(hosts).header("Authorization", "Bearer s3cre").build(),
        HttpResponse.BodyHandlers.ofString());
      assertEquals(401, wrong.statusCode());
      HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(hosts).header("Authorization", "Bearer s3cret").build(),
        HttpResponse.BodyHandlers.ofString());
      assertEquals(200, allowed.statusCode());
      assertEquals(HOST, new JsonArray(allowed.body()).getJsonObject(0).getString("host"));
      // a guesser: slowed with 429 past a burst of failures, its token not even compared; another address is not
      int throttled = 0;
      for (int i = 0; i < 30; i++) {
        String answer = rawGet("127.0.0.3", server.actualPort(), "/api/hosts", "Bearer guess-" + i);
        if (answer.startsWith("HTTP/1.1 429")) {
          throttled++;
          assertTrue(answer.contains("Retry-After: 1") || answer.contains("retry-after: 1"), answer);
          assertFalse(answer.contains("guess-"), answer);
        }
      }
      assertTrue(throttled >= 15, throttled + " of 30 guesses answered 429");
      assertTrue(rawGet("127.0.0.3", server.actualPort(), "/api/hosts", "Bearer s3cret").startsWith("HTTP/1.1 429"));
      assertTrue(rawGet("127.0.0.4", server.actualPort(), "/api/hosts", "Bearer s3cret").startsWith("HTTP/1.1 200"));
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("<script src=\"app.js\">"), page.body());
    } finally {
      Await.result(server.close(), 60);
      Await.result(reader.close(), 60);
    }
    ConfigException open = assertThrows(ConfigException.class,
      () -> HttpConfig.from(ConfigView.of(new JsonObject().put("host", "0.0.0.0"), "saver.http")));
    assertTrue(open.getMessage().contains("saver.http.token: is required when the API listens on 0.0.0.0"), open.getMessage());
  }

  /** A GET from the loopback address {@code from}, answered on a connection the server closes. */
  private static String rawGet(String from, int port, String path, String authorization) throws Exception {
    try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port, java.net.InetAddress.getByName(from), 0)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: " + authorization
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static double cpuIdle(long ts) {
    return 50 + index(ts) % 7 + 0.25;
  }

  private static long index(long ts) {
    return (ts - start) / STEP;
  }

  private static HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path)).timeout(java.time.Duration.ofSeconds(30)).build();
  }

  private static String body(String path, int status) throws Exception {
    HttpResponse<String> response = http.send(request(path), HttpResponse.BodyHandlers.ofString());
    assertEquals(status, response.statusCode(), path + ": " + response.body());
    return response.body();
  }

}
