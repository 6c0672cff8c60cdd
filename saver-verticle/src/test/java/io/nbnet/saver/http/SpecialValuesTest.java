package io.nbnet.saver.http;

import io.nbnet.formats.Sample;
import io.nbnet.formats.SpecialValues;
import io.nbnet.formats.nb1.NativeFormat;
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
import org.junit.jupiter.api.AfterEach;
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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NaN, ±Inf and Prometheus's stale marker through the whole store: sent in NB1 frames, read back in
 * PromQL while staged and again once compacted into blocks (NaN and ±Inf as Prometheus writes them, a
 * stale marker ending its series there), shown by name in {@code samples_all}, left out of the rollups;
 * a text sample that starts with the staging table's mark stays that text.
 */
@ExtendWith(VertxExtension.class)
class SpecialValuesTest {

  private static final String HOST = "special-host";
  private static final long STEP = 10_000;
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private TestDatabase database;

  @AfterEach
  void dropDatabase() {
    database.close();
  }

  @Test
  @DisplayName("special values read back alike staged and compacted; the stale marker ends its series; rollups and views handle them")
  void specialValuesThroughTheStore(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig())
      .put("http", new JsonObject().put("port", 0))
      .put("compaction", new JsonObject().put("graceMs", 0).put("quietMs", 200).put("checkIntervalMs", 100));
    SaverVerticle saver = new SaverVerticle(Section.parse(config, "saver", SaverConfig::from));
    Await.result(vertx.deployVerticle(saver), 60);
    // one window, an hour ago: staged now, compacted once the saver's clock closes it
    long t0 = Windows.windowOf(System.currentTimeMillis()) - 12 * Windows.WINDOW_MILLIS + 10_000;
    double[] gauge = {1, Double.NaN, 3, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 6};
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < gauge.length; i++) {
      samples.add(Sample.numeric(HOST, t0 + i * STEP, "app.gauge", "", gauge[i]));
    }
    samples.add(Sample.numeric(HOST, t0, "app.ended", "", 7));
    samples.add(Sample.numeric(HOST, t0 + STEP, "app.ended", "", SpecialValues.STALE));
    samples.add(Sample.text(HOST, t0, "app.note", "", "\0not a number"));
    try (RawFrameSocket socket = new RawFrameSocket(saver.actualPort())) {
      String reply = socket.request(NativeFormat.encode(HOST, 1, samples).toString(StandardCharsets.UTF_8));
      assertTrue(reply.startsWith("OK"), reply);
    }
    int apiPort = saver.apiPort();
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_windows"), "still staged");
    List<String> staged = answers(apiPort, t0);
    assertEquals(List.of("1", "NaN", "3", "+Inf", "-Inf", "6"), staged.subList(0, 6), "app_gauge, staged");
    assertEquals(List.of("7"), staged.subList(6, staged.size()), "app_ended: the stale marker ends it after its first step");

    await().atMost(60, TimeUnit.SECONDS).until(() -> database.count("SELECT COUNT(*) FROM samples_windows") > 0
      && database.count("SELECT COUNT(*) FROM samples_recent") == 0);
    assertEquals(staged, answers(apiPort, t0), "the same answers from the compacted blocks");

    assertEquals(List.of("NaN", "+Inf", "-Inf"), database.query("SELECT text_value FROM samples_all WHERE host = ? AND metric = 'app.gauge'"
      + " AND value IS NULL ORDER BY ts", HOST).stream().map(row -> row.getString(0)).toList());
    assertEquals("stale", database.query("SELECT text_value FROM samples_all WHERE host = ? AND metric = 'app.ended' AND ts = ?", HOST,
      t0 + STEP).get(0).getString(0));
    assertEquals("\0not a number", database.query("SELECT text_value FROM samples_all WHERE host = ? AND metric = 'app.note'", HOST).get(0)
      .getString(0));
    JsonObject rollup = database.query("SELECT `count`, `min`, `max` FROM samples_5m WHERE host = ? AND metric = 'app.gauge'", HOST).get(0)
      .toJson();
    assertEquals(3, ((Number) rollup.getValue("count")).intValue(), "the rollup counts the finite samples: " + rollup);
    assertEquals(6.0, ((Number) rollup.getValue("max")).doubleValue(), rollup.encode());
  }

  /** app_gauge's values at its six steps, then app_ended's, as the PromQL API writes them. */
  private static List<String> answers(int port, long t0) throws Exception {
    List<String> values = new ArrayList<>();
    for (String query : List.of("app_gauge", "app_ended")) {
      String path = "/api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&start=" + t0 / 1000 + "&end="
        + (t0 + 5 * STEP) / 1000 + "&step=10";
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      JsonArray result = new JsonObject(response.body()).getJsonObject("data").getJsonArray("result");
      assertEquals(1, result.size(), query + ": " + response.body());
      result.getJsonObject(0).getJsonArray("values").forEach(point -> values.add(((JsonArray) point).getString(1)));
    }
    return values;
  }
}
