package io.nbnet.launcher.faults;

import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.wire.testing.RawFrameSocket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP ports and the store tried as an attacker and a careless client would try them, against a
 * saver and a collector started from the shaded jar with {@code -Xmx256m}, on real sockets: overflowing
 * query times, floods of new series, trickled headers, connection floods, bodies where none is taken,
 * ambiguous body framing, empty pushes and token guessing. Throughout, a dashboard reader asks
 * {@code /api/hosts} four times a second and must be answered within a second every time; at the end
 * neither process logged an OutOfMemoryError, a SEVERE line or a stack trace, nor a guessed token.
 * Tagged {@code alone}: it measures the reader's latency, so the build runs it with no other test beside
 * (beside KafkaModeIT's processes the slowest answer once took 1.2 s).
 */
@Tag("alone")
class HttpAbuseIT {

  private static final String TOKEN = "it-secret-token";
  private static final Pattern API = Pattern.compile("dashboard listening on [^:\\s]+:(\\d+)");
  private static final long READER_BOUND_MILLIS = 1_000;

  private static Vertx vertx;
  private static TestDatabase database;
  private static NbnetProcess saver;
  private static NbnetProcess collector;
  private static int apiPort;
  private static final AtomicLong slowestRead = new AtomicLong();
  private static final List<String> readFailures = new CopyOnWriteArrayList<>();
  private static ScheduledExecutorService reader;

  @BeforeAll
  static void start(@TempDir Path folder) throws Exception {
    vertx = Vertx.vertx();
    database = new TestDatabase(vertx);
    JsonObject saverConfig = new JsonObject().put("components", new JsonArray().add("saver")).put("saver", new JsonObject()
        .put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig())
        .put("http", new JsonObject().put("port", 0).put("token", TOKEN).put("headerTimeoutMs", 2_000).put("maxConnections", 300)
          .put("maxConnectionsPerAddress", 300)))
      .put("monitor", new JsonObject().put("host", "127.0.0.1").put("port", 0));
    saver = NbnetProcess.startOnAnyPort(folder, "saver", saverConfig, "saver");
    apiPort = Integer.parseInt(await().atMost(30, TimeUnit.SECONDS).until(() -> API.matcher(saver.log()), Matcher::find).group(1));
    JsonObject collectorConfig = new JsonObject().put("components", new JsonArray().add("collector")).put("collector", new JsonObject()
      .put("host", "abuse-collector").put("intervalMs", 1_000).put("sources", new JsonObject().put("percpu", false))
      .put("trans", new JsonObject().put("enabled", false).put("address", "127.0.0.1:1"))
      .put("saver", new JsonObject().put("address", "127.0.0.1:" + saver.port()))
      .put("push", new JsonObject().put("http", new JsonObject().put("enabled", true).put("port", 0).put("headerTimeoutMs", 2_000)
        .put("maxConnections", 50))));
    collector = NbnetProcess.startOnAnyPort(folder, "collector", collectorConfig, "push");
    await().atMost(60, TimeUnit.SECONDS).until(() -> database.count("SELECT COUNT(*) FROM samples_hosts WHERE host = 'abuse-collector'") == 1);
    HttpClient readerClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    reader = Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "dashboard-reader"));
    reader.scheduleWithFixedDelay(() -> readHosts(readerClient), 0, 250, TimeUnit.MILLISECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (reader != null) {
      reader.shutdown();
      reader.awaitTermination(30, TimeUnit.SECONDS);
    }
    try {
      System.out.println("slowest /api/hosts during the battery: " + slowestRead.get() + " ms");
      assertEquals(List.of(), readFailures, "/api/hosts answered 200 every time");
      assertTrue(slowestRead.get() < READER_BOUND_MILLIS, "/api/hosts took " + slowestRead.get() + " ms at worst");
      for (NbnetProcess process : List.of(saver, collector)) {
        assertTrue(process.isAlive(), process.name() + " is still running");
        String log = process.log();
        assertFalse(log.contains("OutOfMemoryError"), process.name() + " ran out of memory");
        assertFalse(log.contains("SEVERE"), process.name() + " logged SEVERE:\n" + log);
        assertFalse(log.contains("\tat "), process.name() + " logged a stack trace:\n" + log);
        assertFalse(log.contains("guess-"), process.name() + " logged a guessed token");
        assertFalse(log.contains(TOKEN), process.name() + " logged the token");
      }
    } finally {
      collector.terminate();
      saver.terminate();
      database.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("query times that would overflow are 400, also from two clients repeating them")
  void overflowingQueryTimesAreRefused() throws Exception {
    List<String> queries = List.of("/api/query?host=abuse-collector&metric=cpu.user&from=-1&to=9223372036854775807",
      "/api/query?host=abuse-collector&metric=cpu.user&from=-9223372036854775808&to=0");
    ExecutorService clients = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<Integer>>> statuses = new ArrayList<>();
      for (int client = 0; client < 2; client++) {
        statuses.add(clients.submit(() -> {
          List<Integer> seen = new ArrayList<>();
          for (int i = 0; i < 50; i++) {
            seen.add(api(queries.get(i % 2), TOKEN).statusCode());
          }
          return seen;
        }));
      }
      for (Future<List<Integer>> seen : statuses) {
        assertTrue(seen.get(120, TimeUnit.SECONDS).stream().allMatch(status -> status == 400), seen.get().toString());
      }
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  @DisplayName("pushes of 10,000 new names are refused past collector.push.maxSeries; a frame past saver.limits.maxSeriesPerHost gets ERR refused")
  void floodsOfNewSeriesAreRefused() throws Exception {
    int accepted = 0;
    for (int push = 0; push < 20; push++) {
      StringBuilder lines = new StringBuilder();
      for (int name = 0; name < 10_000; name++) {
        lines.append("flood_").append(push).append('_').append(name).append(" value=1\n");
      }
      HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + "/write"))
        .POST(HttpRequest.BodyPublishers.ofString(lines.toString())).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() == 204) {
        accepted++;
      } else {
        assertEquals(400, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("collector.push.maxSeries (10000)"), answer.body());
      }
    }
    assertTrue(accepted <= 1, accepted + " pushes of 10,000 new names were taken");

    List<Sample> greedy = new ArrayList<>();
    for (int i = 0; i <= 20_000; i++) {
      greedy.add(Sample.numeric("greedy-host", System.currentTimeMillis(), "app.name_" + i, "", i));
    }
    try (RawFrameSocket socket = new RawFrameSocket(saver.port())) {
      String reply = socket.request(NativeFormat.encode("s", 1, greedy).toString(StandardCharsets.UTF_8));
      assertTrue(reply.startsWith("ERR refused: host greedy-host has 0 series and this would add 20001: past saver.limits.maxSeriesPerHost (20000)"),
        reply);
    }
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_series s JOIN samples_hosts h USING (host_id) WHERE h.host = 'greedy-host'"));
  }

  @Test
  @DisplayName("250 connections trickling a header are closed after headerTimeoutMs; past maxConnections a connection is closed as it opens")
  void trickledHeadersAndConnectionFloodsAreClosed() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 250; i++) {
        Socket socket = new Socket("127.0.0.1", apiPort);
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write("GET /api/hosts HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
        held.add(socket);
      }
      for (Socket socket : held) {
        assertEquals(-1, socket.getInputStream().read(), "closed without an answer");
      }
      List<Socket> flood = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        Socket socket = new Socket("127.0.0.1", collector.port());
        socket.setSoTimeout(30_000);
        flood.add(socket);
      }
      held.addAll(flood);
      long closedAtOnce = 0;
      for (Socket socket : flood.subList(50, 80)) {
        closedAtOnce += socket.getInputStream().read() == -1 ? 1 : 0;
      }
      assertEquals(30, closedAtOnce, "the 30 connections past the push port's cap of 50 are closed as they open");
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
    await().atMost(30, TimeUnit.SECONDS).until(() -> saver.metric("vertx_http_server_active_requests") <= 1);
  }

  @Test
  @DisplayName("a 100 MiB body to GET /api/hosts or past a push's limit is answered 413 before it is read, and the connection closed")
  void bodiesAreRefusedUnread() throws Exception {
    for (int port : List.of(apiPort, collector.port())) {
      String path = port == apiPort ? "GET /api/hosts" : "POST /write";
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write((path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Length: 104857600\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(new byte[64 * 1024]);
        String answer = readToClose(socket);
        assertTrue(answer.startsWith("HTTP/1.1 413"), path + ": " + answer);
      }
    }
  }

  @Test
  @DisplayName("an empty Open-Falcon push is 400 (an empty Influx write 204, as InfluxDB answers it); CL with TE, or an unknown transfer"
    + " coding, is 400 and closes the connection on every port")
  void emptyPushesAndAmbiguousFramingAre400() throws Exception {
    for (String path : List.of("/v1/push", "/write")) {
      HttpResponse<String> empty = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + path))
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(path.equals("/write") ? 204 : 400, empty.statusCode(), path + ": " + empty.body());
    }
    for (int port : List.of(apiPort, collector.port())) {
      for (String framing : List.of("Content-Length: 30\r\nTransfer-Encoding: chunked", "Transfer-Encoding: xchunked")) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
          socket.setSoTimeout(30_000);
          socket.getOutputStream().write(("POST /write HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n\r\n0\r\n\r\nGET /api/hosts HTTP/1.1\r\nHost: x\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
          String answer = readToClose(socket);
          assertTrue(answer.startsWith("HTTP/1.1 400"), port + " " + framing + ": " + answer);
          assertEquals(1, answer.split("HTTP/1.1 ", -1).length - 1, "nothing behind it was answered: " + answer);
        }
      }
    }
  }

  @Test
  @DisplayName("a token guesser gets 429 with Retry-After past a few failures a second; the right token from elsewhere still works")
  void tokenGuessersAreSlowed() throws Exception {
    int throttled = 0;
    for (int i = 0; i < 200; i++) {
      String answer = rawGet("127.0.0.5", "Bearer guess-" + i);
      if (answer.startsWith("HTTP/1.1 429")) {
        throttled++;
        assertTrue(answer.toLowerCase().contains("retry-after: "), answer);
      } else {
        assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
      }
    }
    assertTrue(throttled >= 150, throttled + " of 200 guesses were slowed");
    assertTrue(rawGet("127.0.0.6", "Bearer " + TOKEN).startsWith("HTTP/1.1 200"));
    saver.awaitLog("127.0.0.5", 30);
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static HttpResponse<String> api(String path, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path)).header("Authorization", "Bearer " + token)
      .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** What a dashboard tab does, run four times a second: one /api/hosts, its answer timed. */
  private static void readHosts(HttpClient client) {
    long began = System.nanoTime();
    try {
      HttpResponse<String> hosts = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/hosts"))
        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      if (hosts.statusCode() != 200) {
        readFailures.add(hosts.statusCode() + " " + hosts.body());
      }
    } catch (Exception e) {
      readFailures.add(e.toString());
    }
    slowestRead.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), Math::max);
  }

  /** A GET of /api/hosts from the loopback address {@code from}, on a connection the server closes. */
  private static String rawGet(String from, String authorization) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), apiPort, InetAddress.getByName(from), 0)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(("GET /api/hosts HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: " + authorization + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
      return readToClose(socket);
    }
  }

  private static String readToClose(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      for (int n; (n = in.read(chunk)) >= 0; ) {
        out.write(chunk, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // the server closed while this side still had bytes unread by it: what came before the reset is the answer
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
