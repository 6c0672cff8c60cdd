package io.nbnet.saver.http;

import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.promql.Engine;
import io.nbnet.promql.Labels;
import io.nbnet.promql.QueryResult;
import io.nbnet.promql.SeriesSource;
import io.nbnet.promql.StoredSeries;
import io.nbnet.saver.SaverConfig;
import io.nbnet.saver.SaverVerticle;
import io.nbnet.store.tables.Windows;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.Section;
import io.nbnet.support.testing.Await;
import io.nbnet.wire.testing.RawFrameSocket;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Prometheus query API of a saver that stored half an hour of a host's samples (a gauge, a counter
 * with a reset, a tagged pair), the older windows compacted and the newest staged: answers read back
 * over HTTP equal the engine's over the same samples in memory, in Prometheus's JSON.
 */
@ExtendWith(VertxExtension.class)
class PromqlApiTest {

  private static final String HOST = "prom-host";
  private static final long STEP = 10_000;
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Map<Labels, List<long[]>> sent = new LinkedHashMap<>();
  private static TestDatabase database;
  private static int apiPort;
  private static long start;
  private static long last;

  @BeforeAll
  static void storeHalfAnHour(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", 0)
      .put("mysql", database.mysqlConfig())
      .put("http", new JsonObject().put("port", 0).put("maxSamples", 600))
      .put("compaction", new JsonObject().put("graceMs", 0).put("quietMs", 200).put("checkIntervalMs", 100));
    SaverVerticle saver = new SaverVerticle(Section.parse(config, "saver", SaverConfig::from));
    Await.result(vertx.deployVerticle(saver), 60);
    apiPort = saver.apiPort();
    long now = System.currentTimeMillis();
    last = (now - 1_000) / STEP * STEP;
    start = last - 30 * 60_000;
    try (RawFrameSocket socket = new RawFrameSocket(saver.actualPort())) {
      for (long ts = start; ts <= last; ts += STEP) {
        long i = (ts - start) / STEP;
        List<Sample> samples = List.of(
          Sample.numeric(HOST, ts, "cpu.user", "", 10 + i % 7 * 0.5),
          Sample.numeric(HOST, ts, "net.rx_bytes", "", i < 100 ? 1_000 * i : 300 * (i - 100)),
          Sample.numeric(HOST, ts, "disk.busy_percent", "device=sda", 10 + i % 3),
          Sample.numeric(HOST, ts, "disk.busy_percent", "device=sdb", 30));
        String reply = socket.request(NativeFormat.encode(HOST, i, samples).toString(StandardCharsets.UTF_8));
        assertTrue(reply.startsWith("OK 4"), reply);
        for (Sample sample : samples) {
          Labels labels = Labels.of("__name__", sample.metric().replace('.', '_'), "host", HOST, "device",
            sample.tags().isEmpty() ? "" : sample.tags().substring("device=".length()));
          sent.computeIfAbsent(labels, l -> new ArrayList<>()).add(new long[] {ts, Double.doubleToLongBits(sample.value())});
        }
      }
    }
    await().atMost(60, TimeUnit.SECONDS).until(() -> database.count("SELECT COUNT(*) FROM samples_windows") >= 3);
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  @Test
  @DisplayName("instant and range queries answer what the engine answers over the same samples, in Prometheus's JSON")
  void queriesAnswerAsTheEngineDoes() throws Exception {
    long at = last - 45_000;
    JsonObject instant = success(get("/api/v1/query?query=" + encode("cpu_user{host=\"prom-host\"}") + "&time=" + seconds(at)));
    assertEquals("vector", instant.getString("resultType"));
    JsonObject sample = instant.getJsonArray("result").getJsonObject(0);
    assertEquals(new JsonObject().put("__name__", "cpu_user").put("host", HOST), sample.getJsonObject("metric"));
    QueryResult.Vector expected = (QueryResult.Vector) reference().instant(memory(), "cpu_user", at, 10_000);
    assertEquals(at / 1000, sample.getJsonArray("value").getLong(0), "whole seconds, written without a fraction");
    assertEquals(expected.samples().get(0).value(), Double.parseDouble(sample.getJsonArray("value").getString(1)));

    for (String query : List.of("rate(net_rx_bytes[1m])", "sum by (device) (disk_busy_percent)", "increase(net_rx_bytes[5m]) > 0",
      "avg_over_time(cpu_user[2m]) * on (host) group_left max(disk_busy_percent)", "resets(net_rx_bytes[10m])")) {
      long from = start + 6 * 60_000;
      JsonObject range = success(get("/api/v1/query_range?query=" + encode(query) + "&start=" + seconds(from) + "&end=" + seconds(last)
        + "&step=30s"));
      assertEquals("matrix", range.getString("resultType"), query);
      QueryResult.Matrix reference = reference().range(memory(), query, from, last, 30_000, 10_000);
      assertEquals(reference.series().size(), range.getJsonArray("result").size(), query);
      for (int s = 0; s < reference.series().size(); s++) {
        QueryResult.Series want = reference.series().get(s);
        JsonObject got = range.getJsonArray("result").getJsonObject(s);
        assertEquals(new JsonObject(new LinkedHashMap<>(want.metric().toMap())), got.getJsonObject("metric"), query);
        JsonArray values = got.getJsonArray("values");
        assertEquals(want.times().length, values.size(), query);
        for (int p = 0; p < values.size(); p++) {
          assertEquals(want.times()[p], Math.round(values.getJsonArray(p).getDouble(0) * 1000), query);
          assertEquals(want.values()[p], Double.parseDouble(values.getJsonArray(p).getString(1)), Math.abs(want.values()[p]) * 1e-12, query);
        }
      }
    }
  }

  @Test
  @DisplayName("a form-encoded POST is answered as Grafana sends it; series, labels and label values list the store's series")
  void postAndMetadataEndpoints() throws Exception {
    HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/v1/query_range"))
      .header("Content-Type", "application/x-www-form-urlencoded")
      .POST(HttpRequest.BodyPublishers.ofString("query=" + encode("max(disk_busy_percent)") + "&start=" + seconds(last - 60_000) + "&end="
        + seconds(last) + "&step=60")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, posted.statusCode(), posted.body());
    assertEquals("30", new JsonObject(posted.body()).getJsonObject("data").getJsonArray("result").getJsonObject(0).getJsonArray("values")
      .getJsonArray(0).getString(1));

    JsonArray series = new JsonObject(get("/api/v1/series?match[]=" + encode("disk_busy_percent")).body()).getJsonArray("data");
    assertEquals(2, series.size(), series.encode());
    assertEquals(new JsonObject().put("__name__", "disk_busy_percent").put("device", "sda").put("host", HOST), series.getJsonObject(0));
    assertEquals(new JsonArray().add("__name__").add("device").add("host"), success(get("/api/v1/labels")));
    assertEquals(new JsonArray().add("cpu_user").add("disk_busy_percent").add("net_rx_bytes"), success(get("/api/v1/label/__name__/values")));
    assertEquals(new JsonArray().add(HOST), success(get("/api/v1/label/host/values")));
    assertEquals("2.42.0", PromqlApiTest.<JsonObject>success(get("/api/v1/status/buildinfo")).getString("version"));
    assertEquals(new JsonObject(), success(get("/api/v1/metadata")));
  }

  @Test
  @DisplayName("bad queries are 400 bad_data, a query past maxSamples 422 execution, each naming the cause")
  void errors() throws Exception {
    assertError(get("/api/v1/query?query=" + encode("sum(")), 400, "bad_data", "parse error");
    assertError(get("/api/v1/query?query=" + encode("nosuchfunction(up)")), 400, "bad_data", "unknown function with name \"nosuchfunction\"");
    assertError(get("/api/v1/query_range?query=up&start=20&end=10&step=1"), 400, "bad_data", "end timestamp must not be before start time");
    assertError(get("/api/v1/query_range?query=up&start=0&end=100000&step=1"), 400, "bad_data", "exceeded maximum resolution of 11,000 points");
    assertError(get("/api/v1/query?query=up&time=yesterday"), 400, "bad_data", "cannot parse \"yesterday\" to a valid timestamp");
    // hostile numbers and shapes are refused or bounded at once, not worked through
    assertError(get("/api/v1/query?query=up&time=1e-10000000"), 400, "bad_data", "to a valid time or duration");
    assertError(get("/api/v1/query_range?query=up&start=0&end=10&step=1e-999999"), 400, "bad_data", "to a valid time or duration");
    HttpResponse<String> nested = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/v1/query"))
      .header("Content-Type", "application/x-www-form-urlencoded")
      .POST(HttpRequest.BodyPublishers.ofString("query=" + encode("(".repeat(100_000) + "1" + ")".repeat(100_000)))).build(),
      HttpResponse.BodyHandlers.ofString());
    assertError(nested, 400, "bad_data", "nests more than 500");
    JsonObject ages = success(get("/api/v1/query?query=" + encode("count_over_time(cpu_user[100000y])") + "&time=" + seconds(last)));
    assertEquals("181", ages.getJsonArray("result").getJsonObject(0).getJsonArray("value").getString(1),
      "a range of 100,000 years reads what the raw tier holds");
    assertError(get("/api/v1/query_range?query=" + encode("{host=\"prom-host\"}") + "&start=" + seconds(start) + "&end=" + seconds(last)
      + "&step=10"), 422, "execution", "saver.http.maxSamples");
  }

  private static void assertError(HttpResponse<String> response, int status, String type, String message) {
    assertEquals(status, response.statusCode(), response.body());
    JsonObject body = new JsonObject(response.body());
    assertEquals("error", body.getString("status"));
    assertEquals(type, body.getString("errorType"));
    assertTrue(body.getString("error").contains(message), body.getString("error"));
  }

  private static <T> T success(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    JsonObject body = new JsonObject(response.body());
    assertEquals("success", body.getString("status"));
    @SuppressWarnings("unchecked")
    T data = (T) body.getValue("data");
    return data;
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Engine reference() {
    return new Engine(Engine.DEFAULT_LOOKBACK_MILLIS, 1_000_000, Engine.DEFAULT_SUBQUERY_STEP_MILLIS);
  }

  /** The samples sent, as the engine reads them from memory. */
  private static SeriesSource memory() {
    return (matchers, from, to) -> {
      List<StoredSeries> selected = new ArrayList<>();
      sent.forEach((labels, points) -> {
        if (matchers.stream().allMatch(matcher -> matcher.matches(labels))) {
          List<long[]> in = points.stream().filter(p -> p[0] >= from && p[0] <= to).toList();
          if (!in.isEmpty()) {
            selected.add(new StoredSeries(labels, in.stream().mapToLong(p -> p[0]).toArray(),
              in.stream().mapToDouble(p -> Double.longBitsToDouble(p[1])).toArray()));
          }
        }
      });
      return selected;
    };
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.valueOf(millis / 1000.0);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
