package io.nbnet.saver.http;

import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.saver.SaverConfig;
import io.nbnet.saver.SaverVerticle;
import io.nbnet.store.Head;
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
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * nbnet against the real Prometheus 2.42 (Debian's {@code prometheus}, which {@code .ci/run} installs):
 * the same samples (counters with resets, gauges, a host with a gap, tagged series) loaded into a
 * Prometheus through {@code promtool tsdb create-blocks-from openmetrics} and into nbnet through its
 * own frames, then every query of {@link DifferentialQueries} asked of both, instant and range: the
 * same series, the same labels, the same timestamps, values equal within 1e-9 relative or 1e-12 absolute.
 */
@ExtendWith(VertxExtension.class)
class PrometheusDifferentialTest {

  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final long STEP = 15_000;
  private static final int HOSTS = 6;
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static TestDatabase database;
  private static Process prometheus;
  private static int prometheusPort;
  private static int apiPort;
  private static long start;
  private static long end;
  private static Head head;

  @TempDir
  static Path folder;

  @BeforeAll
  static void loadBoth(Vertx vertx) throws Exception {
    assumeTrue(Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL), "Prometheus 2.42 is not installed (apt-get install prometheus)");
    end = (System.currentTimeMillis() - 120_000) / STEP * STEP;
    start = end - 2 * 3_600_000;
    List<Sample> samples = samples();

    StringBuilder openMetrics = new StringBuilder();
    for (Sample sample : samples) {
      openMetrics.append(sample.metric().replace('.', '_')).append("{host=\"").append(sample.host()).append('"');
      if (!sample.tags().isEmpty()) {
        openMetrics.append(",device=\"").append(sample.tags().substring("device=".length())).append('"');
      }
      openMetrics.append("} ").append(sample.value()).append(' ').append(sample.timestampMillis() / 1000).append('\n');
    }
    openMetrics.append("# EOF\n");
    Path input = Files.writeString(folder.resolve("samples.om"), openMetrics);
    Path data = Files.createDirectories(folder.resolve("tsdb"));
    run(List.of(PROMTOOL.toString(), "tsdb", "create-blocks-from", "openmetrics", "--quiet", input.toString(), data.toString()));
    Path config = Files.writeString(folder.resolve("prometheus.yml"), "global:\n  scrape_interval: 15s\n");
    prometheusPort = freePort();
    prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config, "--storage.tsdb.path=" + data,
      "--web.listen-address=127.0.0.1:" + prometheusPort, "--storage.tsdb.retention.time=30d")
      .redirectErrorStream(true).redirectOutput(folder.resolve("prometheus.log").toFile()).start();

    database = new TestDatabase(vertx);
    JsonObject saverConfig = new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig())
      .put("http", new JsonObject().put("port", 0).put("queryTimeoutMs", 30_000));
    SaverVerticle saver = new SaverVerticle(Section.parse(saverConfig, "saver", SaverConfig::from));
    Await.result(vertx.deployVerticle(saver), 60);
    apiPort = saver.apiPort();
    // the head holds all that is sent from here on
    head = saver.head().orElseThrow();
    await().atMost(30, TimeUnit.SECONDS).until(() -> head.started() && head.covers(start));
    try (RawFrameSocket socket = new RawFrameSocket(saver.actualPort())) {
      List<Sample> frame = new ArrayList<>();
      long sequence = 0;
      for (Sample sample : samples) {
        frame.add(sample);
        if (frame.size() == 500) {
          assertTrue(socket.request(NativeFormat.encode("diff", sequence++, frame).toString(StandardCharsets.UTF_8)).startsWith("OK"));
          frame.clear();
        }
      }
      assertTrue(socket.request(NativeFormat.encode("diff", sequence, frame).toString(StandardCharsets.UTF_8)).startsWith("OK"));
    }
    await().atMost(60, TimeUnit.SECONDS).ignoreExceptions()
      .until(() -> PrometheusAnswers.get(prometheusPort, "/-/ready").statusCode() == 200);
  }

  @AfterAll
  static void stopBoth() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor(30, TimeUnit.SECONDS);
    }
    if (database != null) {
      database.close();
    }
  }

  /** Six hosts, every 15 s for two hours: a counter with a reset, a gauge, a tagged pair; host h3 silent for 20 minutes. */
  private static List<Sample> samples() {
    Random random = new Random(42);
    List<Sample> samples = new ArrayList<>();
    double[] counters = new double[HOSTS];
    for (long ts = start; ts <= end; ts += STEP) {
      for (int h = 0; h < HOSTS; h++) {
        if (h == 3 && ts > start + 40 * 60_000 && ts < start + 60 * 60_000) {
          continue;
        }
        String host = "h" + h;
        counters[h] += random.nextInt(5_000);
        if (h == 1 && ts == start + 70 * 60_000) {
          counters[h] = random.nextInt(100);
        }
        samples.add(Sample.numeric(host, ts, "net.rx_bytes", "", counters[h]));
        samples.add(Sample.numeric(host, ts, "cpu.user", "", Math.round(random.nextDouble() * 1000) / 10.0));
        samples.add(Sample.numeric(host, ts, "disk.busy_percent", "device=sda", random.nextInt(100)));
        samples.add(Sample.numeric(host, ts, "disk.busy_percent", "device=sdb", h * 10 + random.nextInt(3)));
      }
    }
    return samples;
  }

  @Test
  @DisplayName("every query, as a range and at instants, answers as Prometheus 2.42 answers: from the saver's head, then from MySQL")
  void answersAsPrometheus(Vertx vertx) throws Exception {
    PrometheusAnswers answers = new PrometheusAnswers(prometheusPort, apiPort, Set.of());
    // every selection starts after start: the head covers them all, and a selection it covers is read from it
    assertTrue(head.covers(start) && head.sampleCount() > 0, "the head holds the samples");
    compareAll(answers, "the head");
    assertTrue(head.covers(start), "the head still covers every selection");

    // a second saver writing to the same database: the first one's head covers nothing, every selection reads MySQL
    JsonObject secondConfig = new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig())
      .put("http", new JsonObject().put("enabled", false)).put("head", new JsonObject().put("enabled", false));
    String second = Await.result(vertx.deployVerticle(new SaverVerticle(Section.parse(secondConfig, "saver", SaverConfig::from))), 60);
    try {
      await().atMost(30, TimeUnit.SECONDS).until(() -> !head.covers(System.currentTimeMillis()));
      compareAll(answers, "MySQL");
      assertFalse(head.covers(System.currentTimeMillis()), "the head covered nothing meanwhile");
    } finally {
      Await.result(vertx.undeploy(second), 60);
    }
  }

  private void compareAll(PrometheusAnswers answers, String source) throws Exception {
    List<String> mismatches = new ArrayList<>();
    int compared = 0;
    for (String query : DifferentialQueries.QUERIES) {
      String range = "/api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&start=" + (start / 1000 + 1800)
        + "&end=" + (end / 1000 - 60) + "&step=60";
      compared += answers.compare(query + " (range)", range, mismatches);
      for (long at : List.of(start + 45 * 60_000 + 7_000, end - 30_000)) {
        String instant = "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + at / 1000.0;
        compared += answers.compare(query + " (instant at " + at + ")", instant, mismatches);
      }
    }
    System.out.println("compared " + compared + " values of " + DifferentialQueries.QUERIES.size() + " queries with Prometheus 2.42, read from "
      + source);
    assertEquals(List.of(), mismatches, "read from " + source);
    assertTrue(DifferentialQueries.QUERIES.size() >= 60);
  }

  @Test
  @DisplayName("promtool, a real Prometheus client, queries nbnet: instant, range, series and label values")
  void promtoolQueriesNbnet() throws Exception {
    String server = "http://127.0.0.1:" + apiPort;
    assertTrue(promtool("query", "instant", "--time=" + end / 1000, server, "sum by (host) (cpu_user)").contains("{host=\"h5\"} =>"));
    assertTrue(promtool("query", "range", "--start=" + (end / 1000 - 600), "--end=" + end / 1000, "--step=1m", server, "rate(net_rx_bytes[5m])")
      .contains("{host=\"h0\"} =>"));
    assertTrue(promtool("query", "series", "--match=disk_busy_percent{host=\"h2\"}", server).contains("device=\"sdb\""));
    assertEquals("h0\nh1\nh2\nh3\nh4\nh5", promtool("query", "labels", server, "host").trim());
  }

  private static String promtool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool ended");
    assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
    return output;
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "promtool ended");
    assertEquals(0, process.exitValue(), output);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
