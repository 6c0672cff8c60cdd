package io.nbnet.launcher;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.exceptions.BadRequestException;
import io.nbnet.launcher.testing.PushPipeline;
import io.nbnet.store.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real InfluxDB clients writing to the collector's push port, into MySQL: Debian's {@code python3-influxdb}
 * 5.3 (InfluxDB 1.x's {@code /write}, which {@code .ci/run} installs) and {@code influxdb-client-java}
 * (2.x's {@code /api/v2/write}), in every precision, gzipped, with the port's token: no client error,
 * every point at its time.
 */
@ExtendWith(VertxExtension.class)
class InfluxClientsTest {

  private static final String HOST = "influx-host";
  private static final String TOKEN = "push-s3cret";
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path PYTHON_CLIENT = Path.of("/usr/lib/python3/dist-packages/influxdb/client.py");
  /** How far apart the three points of a precision are, in its unit's milliseconds (a second for the finer ones). */
  private static final Map<String, Long> SPACING = Map.of("n", 1_000L, "u", 1_000L, "ms", 1_000L, "s", 1_000L, "m", 60_000L,
    "h", 3_600_000L);
  private static final Map<String, TimeUnit> UNITS = Map.of("n", TimeUnit.NANOSECONDS, "u", TimeUnit.MICROSECONDS,
    "ms", TimeUnit.MILLISECONDS, "s", TimeUnit.SECONDS, "m", TimeUnit.MINUTES, "h", TimeUnit.HOURS);
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static TestDatabase database;
  private static PushPipeline pipeline;
  /** Three hours ago, on the hour: every precision can write it. */
  private static long base;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    pipeline = new PushPipeline(vertx, database, HOST, new JsonObject()
      .put("http", new JsonObject().put("enabled", true).put("port", 0).put("token", TOKEN)));
    base = (System.currentTimeMillis() / 3_600_000 - 3) * 3_600_000;
  }

  @AfterAll
  static void stop() throws Exception {
    pipeline.close();
    database.close();
  }

  @Test
  @DisplayName("python3-influxdb 5.3: ping, CREATE DATABASE and writes in n, u, ms, s, m and h (one gzipped) raise no error; every point at its time")
  void pythonClient() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON) && Files.exists(PYTHON_CLIENT), "python3-influxdb is not installed (apt-get install python3-influxdb)");
    StringBuilder script = new StringBuilder("""
      import sys
      from influxdb import InfluxDBClient
      port = int(sys.argv[1])
      client = InfluxDBClient('127.0.0.1', port, 'nbnet', sys.argv[2], 'metrics')
      client.ping()
      client.create_database('metrics')
      zipped = InfluxDBClient('127.0.0.1', port, 'nbnet', sys.argv[2], 'metrics', gzip=True)
      """);
    for (String precision : List.of("n", "u", "ms", "s", "m", "h")) {
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 3; i++) {
        lines.append("'py_").append(precision).append(",via=python value=").append(i + 1).append(' ').append(inUnit(precision, i)).append("',");
      }
      String writer = precision.equals("s") ? "zipped" : "client";
      script.append(writer).append(".write_points([").append(lines).append("], time_precision='").append(precision)
        .append("', protocol='line')\n");
    }
    script.append("print('written')\n");
    Process python = new ProcessBuilder(PYTHON.toString(), "-c", script.toString(), String.valueOf(pipeline.pushPort()), TOKEN)
      .redirectErrorStream(true).start();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(python.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, python.exitValue(), output);
    assertTrue(output.contains("written"), output);
    for (String precision : SPACING.keySet()) {
      assertPointsAtTheirTimes("py_" + precision + ".value", precision);
    }
  }

  @Test
  @DisplayName("influxdb-client-java: writes in ns, us, ms and s through /api/v2/write with the token; a bad line is a BadRequestException naming it")
  void javaClient() throws Exception {
    try (InfluxDBClient client = InfluxDBClientFactory.create("http://127.0.0.1:" + pipeline.pushPort(), TOKEN.toCharArray(), "fleet", "metrics")) {
      Map<String, WritePrecision> precisions = Map.of("n", WritePrecision.NS, "u", WritePrecision.US, "ms", WritePrecision.MS,
        "s", WritePrecision.S);
      for (Map.Entry<String, WritePrecision> precision : precisions.entrySet()) {
        for (int i = 0; i < 3; i++) {
          client.getWriteApiBlocking().writeRecord(precision.getValue(), "java_" + precision.getKey() + ",via=java value=" + (i + 1) + " "
            + inUnit(precision.getKey(), i));
        }
      }
      for (String precision : precisions.keySet()) {
        assertPointsAtTheirTimes("java_" + precision + ".value", precision);
      }
      BadRequestException bad = assertThrows(BadRequestException.class,
        () -> client.getWriteApiBlocking().writeRecord(WritePrecision.MS, "java_good value=1\njava_bad value=\n"));
      assertTrue(bad.getMessage().contains("partial write: unable to parse") && bad.getMessage().contains("line 2"), bad.getMessage());
    }
  }

  @Test
  @DisplayName("seconds written without their precision (1970) or a point a day ahead are refused, saying so; a wrong token is 401")
  void timesThatCannotBeRight() throws Exception {
    long seconds = System.currentTimeMillis() / 1000;
    HttpResponse<String> unitless = write("/write?db=metrics", "wrong_unit value=1 " + seconds);
    assertEquals(400, unitless.statusCode(), unitless.body());
    assertTrue(unitless.body().contains("partial write: points outside this collector's window"), unitless.body());
    assertTrue(unitless.body().contains("is the precision right?"), unitless.body());
    HttpResponse<String> ahead = write("/write?db=metrics&precision=s", "ahead value=1 " + (seconds + 86_400) + "\nnow value=1 " + seconds);
    assertEquals(400, ahead.statusCode(), ahead.body());
    assertTrue(ahead.body().contains("dropped=1"), ahead.body());
    database.awaitCount(1, 30_000, "SELECT COUNT(*) FROM samples_all WHERE host = ? AND metric = 'now.value'", HOST);
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_all WHERE metric IN ('wrong_unit.value', 'ahead.value')"));
    HttpResponse<String> precision = write("/write?db=metrics&precision=fortnight", "x value=1");
    assertEquals(400, precision.statusCode());
    assertTrue(precision.body().contains("invalid precision"), precision.body());

    HttpResponse<String> wrongToken = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pipeline.pushPort()
      + "/api/v2/write?org=o&bucket=b")).header("Authorization", "Token not-it").POST(HttpRequest.BodyPublishers.ofString("x value=1"))
      .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, wrongToken.statusCode());
    assertEquals("unauthorized", new JsonObject(wrongToken.body()).getString("code"));
  }

  private static HttpResponse<String> write(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pipeline.pushPort() + path))
      .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The time of point {@code i} of a precision, written in that precision. */
  private static long inUnit(String precision, int i) {
    long millis = base + i * SPACING.get(precision);
    return UNITS.get(precision).convert(millis, TimeUnit.MILLISECONDS);
  }

  private static void assertPointsAtTheirTimes(String metric, String precision) {
    database.awaitCount(3, 30_000, "SELECT COUNT(*) FROM samples_all WHERE host = ? AND metric = ?", HOST, metric);
    for (int i = 0; i < 3; i++) {
      long at = base + i * SPACING.get(precision);
      assertEquals(i + 1, database.query("SELECT value FROM samples_all WHERE host = ? AND metric = ? AND ts = ?", HOST, metric, at).get(0)
        .getDouble(0), metric + " at " + at);
    }
  }
}
