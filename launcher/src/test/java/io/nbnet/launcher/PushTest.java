package io.nbnet.launcher;

import com.google.protobuf.ByteString;
import io.nbnet.launcher.testing.PushPipeline;
import io.nbnet.remotewrite.proto.RemoteWriteProto;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.testing.Await;
import io.nbnet.support.testing.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Applications pushing to the local collector, through its buffer and the saver into MySQL, over real HTTP. */
@ExtendWith(VertxExtension.class)
class PushTest {

  private static final String HOST = "push-host";
  /** HTTP/1.1: the JDK client's h2c upgrade against a Vert.x server now and then never completes. */
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static TestDatabase database;
  private static PushPipeline pipeline;
  private static int pushPort;
  private static int statsdPort;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    pipeline = new PushPipeline(vertx, database, HOST, new JsonObject()
      .put("http", new JsonObject().put("enabled", true).put("port", 0).put("maxBodyBytes", 64 * 1024))
      .put("maxSeries", 50)
      .put("statsd", new JsonObject().put("enabled", true).put("port", 0).put("maxSeries", 500)));
    pushPort = pipeline.pushPort();
    statsdPort = pipeline.statsdPort();
  }

  @AfterAll
  static void stop() throws Exception {
    pipeline.close();
    database.close();
  }

  @Test
  @DisplayName("Open-Falcon JSON on /v1/push and Influx lines on /write are stored with their values, times and tags")
  void pushedSamplesAreStored() throws Exception {
    long seconds = System.currentTimeMillis() / 1000;
    String openFalcon = new JsonArray()
      .add(new JsonObject().put("endpoint", HOST).put("metric", "app.requests").put("timestamp", seconds).put("step", 60)
        .put("value", 42).put("counterType", "GAUGE").put("tags", "service=api,zone=a"))
      .add(new JsonObject().put("endpoint", HOST).put("metric", "app.latency_ms").put("timestamp", seconds).put("step", 60)
        .put("value", 3.5).put("counterType", "GAUGE").put("tags", "")).encode();
    HttpResponse<String> pushed = post("/v1/push", openFalcon);
    assertEquals(200, pushed.statusCode(), pushed.body());
    assertEquals(2, new JsonObject(pushed.body()).getInteger("samples"));

    long nanos = System.currentTimeMillis() * 1_000_000L;
    HttpResponse<String> written = post("/write", "queue,name=jobs depth=17i,oldest=2.5 " + nanos + "\nqueue,name=mail depth=3i " + nanos);
    assertEquals(204, written.statusCode(), "InfluxDB's answer to a write: " + written.body());

    database.awaitCount(5, 30_000, "SELECT COUNT(*) FROM samples_all WHERE host = ? AND metric IN ('app.requests', 'app.latency_ms',"
      + " 'queue.depth', 'queue.oldest')", HOST);
    assertEquals(42, database.query("SELECT value FROM samples_all WHERE host = ? AND metric = 'app.requests' AND tags = 'service=api,zone=a'"
      + " AND ts = ?", HOST, seconds * 1000).get(0).getDouble(0));
    assertEquals(17, database.query("SELECT value FROM samples_all WHERE host = ? AND metric = 'queue.depth' AND tags = 'name=jobs'", HOST)
      .get(0).getDouble(0));
  }

  @Test
  @DisplayName("Prometheus remote write rides the collector: its series are this host's, instance and job stay labels; another host's"
    + " series are refused and named, the rest kept")
  void remoteWriteRidesTheCollector() throws Exception {
    long now = System.currentTimeMillis();
    RemoteWriteProto.WriteRequest request = RemoteWriteProto.WriteRequest.newBuilder()
      .addTimeseries(series(now, 0.75, "__name__", "node_load1", "instance", "localhost:9100", "job", "node"))
      .addTimeseries(series(now, 3, "__name__", "node_procs_running", "host", "elsewhere", "job", "node"))
      .build();
    HttpResponse<String> written = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pushPort + "/api/v1/write"))
      .header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
      .header("X-Prometheus-Remote-Write-Version", "0.1.0")
      .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(request.toByteArray()))).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, written.statusCode(), written.body());
    assertTrue(written.body().contains("1 samples of other hosts than push-host"), written.body());
    database.awaitCount(1, 30_000, "SELECT COUNT(*) FROM samples_all WHERE host = ? AND metric = 'node_load1'", HOST);
    assertEquals("instance=localhost:9100,job=node", database.query("SELECT tags FROM samples_all WHERE host = ? AND metric = 'node_load1'", HOST)
      .get(0).getString(0));
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_all WHERE metric = 'node_procs_running'"));
  }

  @Test
  @DisplayName("OTLP/JSON rides the collector: a resource without host.name is this host's; a delta sum is refused in partial_success")
  void otlpRidesTheCollector() throws Exception {
    long nanos = System.currentTimeMillis() * 1_000_000L;
    HttpResponse<String> exported = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pushPort + "/v1/metrics"))
      .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
        {"resourceMetrics": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "billing"}}]},
          "scopeMetrics": [{"metrics": [
            {"name": "invoices.open", "unit": "{invoice}", "gauge": {"dataPoints": [{"timeUnixNano": "%1$d", "asInt": "12"}]}},
            {"name": "invoices.sent", "sum": {"isMonotonic": true, "aggregationTemporality": 1,
              "dataPoints": [{"timeUnixNano": "%1$d", "asInt": "3"}]}}]}]}]}
        """.formatted(nanos))).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, exported.statusCode(), exported.body());
    JsonObject partial = new JsonObject(exported.body()).getJsonObject("partialSuccess");
    assertEquals("1", partial.getString("rejectedDataPoints"));
    assertTrue(partial.getString("errorMessage").contains("invoices.sent: delta sums are not taken"), partial.encode());
    database.awaitCount(1, 30_000, "SELECT COUNT(*) FROM samples_all WHERE host = ? AND metric = 'invoices_open' AND tags = 'job=billing'",
      HOST);
  }

  private static RemoteWriteProto.TimeSeries series(long ts, double value, String... labels) {
    RemoteWriteProto.TimeSeries.Builder series = RemoteWriteProto.TimeSeries.newBuilder();
    for (int i = 0; i < labels.length; i += 2) {
      series.addLabels(RemoteWriteProto.Label.newBuilder().setName(ByteString.copyFromUtf8(labels[i]))
        .setValue(ByteString.copyFromUtf8(labels[i + 1])));
    }
    return series.addSamples(RemoteWriteProto.Sample.newBuilder().setValue(value).setTimestamp(ts)).build();
  }

  @Test
  @DisplayName("a push whose series would pass collector.push.maxSeries is refused whole, naming the limit; smaller ones still pass")
  void pushesPastTheSeriesLimitAreRefused() throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      lines.append("many_names,n=").append(i).append(" value=1\n");
    }
    HttpResponse<String> refused = post("/write", lines.toString());
    assertEquals(400, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("past collector.push.maxSeries (50)"), refused.body());
    HttpResponse<String> small = post("/write", "few_names,n=1 value=1\nfew_names,n=2 value=2");
    assertEquals(204, small.statusCode(), small.body());
    database.awaitCount(2, 30_000, "SELECT COUNT(*) FROM samples_all WHERE metric = 'few_names.value'");
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_all WHERE metric = 'many_names.value'"));
  }

  @Test
  @DisplayName("a bad item, another host, or a body past the limit is refused whole, with the reason; of Influx lines the good ones are"
    + " kept and the bad named; the endpoint keeps serving")
  void badPushesAreRefused() throws Exception {
    HttpResponse<String> badLine = post("/write", "ok_metric value=1\nbroken line without fields\n");
    assertEquals(400, badLine.statusCode());
    assertTrue(badLine.body().contains("partial write: unable to parse") && badLine.body().contains("line 2"), badLine.body());
    assertTrue(badLine.headers().firstValue("X-Influxdb-Error").orElse("").contains("line 2"), "InfluxDB's error header");
    database.awaitCount(1, 30_000, "SELECT COUNT(*) FROM samples_all WHERE metric = 'ok_metric.value'");
    HttpResponse<String> notJson = post("/v1/push", "{not json");
    assertEquals(400, notJson.statusCode());
    HttpResponse<String> otherHost = post("/v1/push", new JsonArray().add(new JsonObject().put("endpoint", "db-master").put("metric", "x")
      .put("value", 1)).encode());
    assertEquals(400, otherHost.statusCode());
    assertTrue(otherHost.body().contains("endpoint db-master is not this host"), otherHost.body());
    HttpResponse<String> empty = post("/v1/push", "");
    assertEquals(400, empty.statusCode(), empty.body());
    assertTrue(empty.body().contains("the body is empty"), empty.body());
    assertEquals(204, post("/write", "").statusCode(), "InfluxDB takes an empty write as one of nothing");
    HttpResponse<String> huge;
    try (LogCapture router = LogCapture.of("io.vertx.ext.web")) {
      huge = post("/write", "big value=1\n".repeat(10_000));
      assertEquals(List.of(), router.linesAtLeast(Level.WARNING), "a client's 413 is no error of the router's");
    }
    assertEquals(413, huge.statusCode());
    assertEquals("close", huge.headers().firstValue("connection").orElse(""), "the rest of a body past the limit is not read");
    // a small gzipped body that would unpack to 12 MB: the limit counts what it unpacks to
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(packed)) {
      gzip.write("bomb value=1\n".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII));
    }
    assertTrue(packed.size() < 64 * 1024, packed.size() + " bytes packed");
    HttpResponse<String> bomb = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pushPort + "/write"))
      .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(packed.toByteArray())).build(),
      HttpResponse.BodyHandlers.ofString());
    assertEquals(413, bomb.statusCode(), bomb.body());
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_all WHERE metric IN ('big.value', 'bomb.value', 'x')"));

    HttpResponse<String> after = post("/write", "after_refusals value=1");
    assertEquals(204, after.statusCode(), after.body());
  }

  @Test
  @DisplayName("StatsD over UDP: counters (with sample rates), gauges and timers summed up per interval; a flood of names stays bounded")
  void statsdIsAggregated(Vertx vertx) throws Exception {
    DatagramSocket socket = vertx.createDatagramSocket();
    try {
      // one datagram of many lines, so that all of them fall in one interval
      Await.result(socket.send(String.join("\n", "jobs.done:1|c|#env:prod", "jobs.done:1|c|#env:prod", "jobs.done:1|c|#env:prod",
        "jobs.done:2|c|@0.5|#env:prod", "queue.size:7|g", "req.time:10|ms", "req.time:20|ms", "req.time:30|ms", "not a statsd line"),
        statsdPort, "127.0.0.1"), 60);
      database.awaitCount(1, 30_000, "SELECT COUNT(*) FROM samples_all WHERE host = ? AND metric = 'req.time.p99'", HOST);
      assertEquals(7, database.query("SELECT value FROM samples_all WHERE host = ? AND metric = 'jobs.done.count' AND tags = 'env=prod'", HOST)
        .get(0).getDouble(0));
      assertEquals(7, database.query("SELECT value FROM samples_all WHERE host = ? AND metric = 'queue.size'", HOST).get(0).getDouble(0));
      assertEquals(3, database.query("SELECT value FROM samples_all WHERE host = ? AND metric = 'req.time.count'", HOST).get(0).getDouble(0));
      assertEquals(20, database.query("SELECT value FROM samples_all WHERE host = ? AND metric = 'req.time.mean'", HOST).get(0).getDouble(0), 0.5);
      assertEquals(30, database.query("SELECT value FROM samples_all WHERE host = ? AND metric = 'req.time.max'", HOST).get(0).getDouble(0), 0.5);

      // 5,000 distinct names in one interval: at most maxSeries (500) of them are kept
      for (int i = 0; i < 5_000; i++) {
        socket.send("flood." + i + ":1|c", statsdPort, "127.0.0.1");
      }
      Await.result(socket.send("after.flood:1|g", statsdPort, "127.0.0.1"), 60);
      database.awaitCount(1, 30_000, "SELECT COUNT(*) FROM samples_all WHERE host = ? AND metric LIKE 'flood.%.count'", HOST);
      long flooded = database.count("SELECT COUNT(DISTINCT metric) FROM samples_all WHERE host = ? AND metric LIKE 'flood.%.count'", HOST);
      assertTrue(flooded <= 500, flooded + " flood series kept");
      HttpResponse<String> still = post("/write", "after_flood value=1");
      assertEquals(204, still.statusCode(), "the collector keeps serving");
    } finally {
      Await.result(socket.close(), 60);
    }
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pushPort + path)).POST(HttpRequest.BodyPublishers.ofString(body))
      .timeout(java.time.Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

}
