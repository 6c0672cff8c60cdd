package io.nbnet.saver.http;

import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.saver.SaverConfig;
import io.nbnet.saver.SaverVerticle;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A saver keeping raw samples one day and 5-minute rollups two, asked in PromQL about two hours 36 hours
 * ago (the 5-minute rollups answer) and two hours three days ago (the hour rollups answer): plain
 * selectors and min, max, sum, count, avg and last_over_time are answered from the rollups, equal to
 * what the samples sent give over whole buckets, with a warning naming the tier; a rate there, or a
 * step finer than the tier, is refused saying why.
 */
@ExtendWith(VertxExtension.class)
class PromqlRollupTest {

  private static final String HOST = "old-host";
  private static final long HOUR = 3_600_000;
  private static final long WINDOW = 300_000;
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final List<long[]> sent = new ArrayList<>();
  private static TestDatabase database;
  private static int apiPort;
  /** Where each stretch of two hours begins: 36 hours ago (5-minute tier), three days ago (hour tier). */
  private static long fiveMinuteStretch;
  private static long hourStretch;

  @BeforeAll
  static void storeOldSamples(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    // the samples age out of the raw tier as they would in a year of running: one saver keeps them raw
    // and compacts them into the tiers, the next one keeps raw samples a day only
    SaverVerticle keeper = saver(new JsonObject().put("rawDays", 0).put("fiveMinuteDays", 0).put("hourDays", 0));
    String keeperId = Await.result(vertx.deployVerticle(keeper), 60);
    long now = System.currentTimeMillis();
    // 36 hours before this window, and three days before this hour: neither shares a staging ring slot
    // with the windows still open now, so both are compacted at once
    fiveMinuteStretch = now / WINDOW * WINDOW - 36 * HOUR;
    hourStretch = now / HOUR * HOUR - 72 * HOUR;
    try (RawFrameSocket socket = new RawFrameSocket(keeper.actualPort())) {
      long sequence = 0;
      for (long first : List.of(hourStretch, fiveMinuteStretch)) {
        List<Sample> frame = new ArrayList<>();
        // every minute, 7 s past it, so no sample lies on a bucket's edge
        for (long ts = first + 7_000; ts < first + 2 * HOUR; ts += 60_000) {
          double value = (ts / 60_000) % 17 * 1.5;
          frame.add(Sample.numeric(HOST, ts, "cpu.user", "", value));
          sent.add(new long[] {ts, Double.doubleToLongBits(value)});
        }
        String reply = socket.request(NativeFormat.encode(HOST, sequence++, frame).toString(StandardCharsets.UTF_8));
        assertTrue(reply.startsWith("OK"), reply);
      }
    }
    await().atMost(60, TimeUnit.SECONDS).until(() -> database.count("SELECT COUNT(*) FROM samples_recent") == 0
      && database.count("SELECT COUNT(*) FROM samples_rollup_1h WHERE bucket >= ? AND bucket < ?", hourStretch, hourStretch + 2 * HOUR) == 2);
    Await.result(vertx.undeploy(keeperId), 60);
    SaverVerticle saver = saver(new JsonObject().put("rawDays", 1).put("fiveMinuteDays", 2).put("hourDays", 0));
    Await.result(vertx.deployVerticle(saver), 60);
    apiPort = saver.apiPort();
  }

  private static SaverVerticle saver(JsonObject retention) {
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", 0)
      .put("mysql", database.mysqlConfig())
      .put("http", new JsonObject().put("port", 0))
      .put("retention", retention)
      .put("compaction", new JsonObject().put("graceMs", 0).put("quietMs", 200).put("checkIntervalMs", 100));
    return new SaverVerticle(Section.parse(config, "saver", SaverConfig::from));
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  @Test
  @DisplayName("36 hours ago: answered from the 5-minute rollups, equal to the samples' own aggregates over whole buckets")
  void fiveMinuteTier() throws Exception {
    long at = fiveMinuteStretch + 2 * HOUR;
    assertAggregates(at, "5m");
    JsonObject range = body(get("/api/v1/query_range?query=" + encode("cpu_user") + "&start=" + seconds(fiveMinuteStretch + 600_000)
      + "&end=" + seconds(fiveMinuteStretch + HOUR) + "&step=5m"));
    JsonArray values = range.getJsonObject("data").getJsonArray("result").getJsonObject(0).getJsonArray("values");
    assertEquals(11, values.size(), values.encode());
    for (int p = 0; p < values.size(); p++) {
      long t = fiveMinuteStretch + 600_000 + p * 300_000L;
      assertEquals(t, Math.round(values.getJsonArray(p).getDouble(0) * 1000));
      assertEquals(last(t - 300_000, t), Double.parseDouble(values.getJsonArray(p).getString(1)), "the newest sample before " + t);
    }
  }

  @Test
  @DisplayName("three days ago: answered from the hour rollups")
  void hourTier() throws Exception {
    assertAggregates(hourStretch + 2 * HOUR, "1h");
  }

  @Test
  @DisplayName("a rate, a quantile or a step finer than the tier is refused with the reason; a query inside the raw tier has no warning")
  void refusals() throws Exception {
    String at = "&time=" + seconds(fiveMinuteStretch + HOUR);
    assertError(get("/api/v1/query?query=" + encode("rate(cpu_user[1h])") + at), 422, "rate() cannot be answered from the 5m rollups");
    assertError(get("/api/v1/query?query=" + encode("quantile_over_time(0.5, cpu_user[1h])") + at), 422, "cannot be answered from the 5m");
    assertError(get("/api/v1/query_range?query=cpu_user&start=" + seconds(fiveMinuteStretch) + "&end=" + seconds(fiveMinuteStretch + HOUR)
      + "&step=60"), 400, "which need a step of at least 5m");
    JsonObject recent = body(get("/api/v1/query?query=" + encode("rate(cpu_user[1h])")));
    assertEquals(null, recent.getJsonArray("warnings"), recent.encode());
  }

  /** Each aggregate over the stretch's second hour, asked at {@code at}, equals the samples' own. */
  private static void assertAggregates(long at, String tier) throws Exception {
    long from = at - HOUR;
    List<Double> window = new ArrayList<>();
    for (long[] sample : sent) {
      if (sample[0] >= from && sample[0] < at) {
        window.add(Double.longBitsToDouble(sample[1]));
      }
    }
    assertEquals(60, window.size());
    assertAnswer(at, "min_over_time(cpu_user[1h])", tier, window.stream().mapToDouble(v -> v).min().orElseThrow());
    assertAnswer(at, "max_over_time(cpu_user[1h])", tier, window.stream().mapToDouble(v -> v).max().orElseThrow());
    assertAnswer(at, "sum_over_time(cpu_user[1h])", tier, sum(window, v -> v));
    assertAnswer(at, "count_over_time(cpu_user[1h])", tier, window.size());
    assertAnswer(at, "avg_over_time(cpu_user[1h])", tier, sum(window, v -> v) / window.size());
    assertAnswer(at, "last_over_time(cpu_user[1h])", tier, window.get(window.size() - 1));
    assertAnswer(at, "max by (host) (cpu_user)", tier, window.get(window.size() - 1));
  }

  private static void assertAnswer(long at, String query, String tier, double expected) throws Exception {
    JsonObject body = body(get("/api/v1/query?query=" + encode(query) + "&time=" + seconds(at)));
    JsonArray result = body.getJsonObject("data").getJsonArray("result");
    assertEquals(1, result.size(), query + ": " + body.encode());
    assertEquals(HOST, result.getJsonObject(0).getJsonObject("metric").getString("host"), query);
    assertEquals(expected, Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1)), Math.abs(expected) * 1e-12, query);
    String warning = body.getJsonArray("warnings").getString(0);
    assertTrue(warning.startsWith("answered from the " + tier + " rollups"), warning);
  }

  private static double last(long from, long to) {
    double last = Double.NaN;
    for (long[] sample : sent) {
      if (sample[0] >= from && sample[0] < to) {
        last = Double.longBitsToDouble(sample[1]);
      }
    }
    return last;
  }

  private static double sum(List<Double> values, ToDoubleFunction<Double> each) {
    return values.stream().mapToDouble(each).sum();
  }

  private static void assertError(HttpResponse<String> response, int status, String message) {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(new JsonObject(response.body()).getString("error").contains(message), response.body());
  }

  private static JsonObject body(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String seconds(long millis) {
    return String.valueOf(millis / 1000);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
