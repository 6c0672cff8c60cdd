package io.nbnet.launcher.faults;

import io.nbnet.store.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * trans hands a fleet's samples on to the real Prometheus 2.42 (Debian's {@code prometheus}, with its
 * remote-write receiver), while relaying them to a saver; that Prometheus is stopped for 30 s
 * mid-stream and started again: every sample arrives once, under its Prometheus name and labels, none
 * refused as out of order; a second target that never answers holds everything in its own queue and
 * slows neither the first nor the savers.
 */
@ExtendWith(VertxExtension.class)
class ForwardIT {

  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final int HOSTS = 4;
  private static final int SAMPLES_PER_FRAME = 10;
  private final List<NbnetProcess> nbnet = new ArrayList<>();
  private final List<SampleStream> streams = new ArrayList<>();
  private Process prometheus;
  private TestDatabase database;

  @TempDir
  Path folder;

  @AfterEach
  void stop() throws Exception {
    streams.forEach(SampleStream::stop);
    for (NbnetProcess process : nbnet) {
      process.kill9();
    }
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor(30, TimeUnit.SECONDS);
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  @DisplayName("every sample reaches a real Prometheus once, in order, across its 30 s stop; a target that is away holds up nothing else")
  void everySampleArrivesOnceAcrossAStop(Vertx vertx) throws Exception {
    assumeTrue(Files.isExecutable(PROMETHEUS), "Prometheus 2.42 is not installed (apt-get install prometheus)");
    database = new TestDatabase(vertx);
    NbnetProcess saver = NbnetProcess.startOnAnyPort(folder, "saver", new JsonObject().put("components", new JsonArray().add("saver"))
      .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig())
        .put("http", new JsonObject().put("port", 0))), "saver");
    nbnet.add(saver);
    int prometheusPort = StablePorts.free();
    startPrometheus(prometheusPort);
    int awayPort = StablePorts.free();
    NbnetProcess trans = NbnetProcess.startOnAnyPort(folder, "trans", transConfig(saver.port(), prometheusPort, awayPort), "trans");
    nbnet.add(trans);

    // a fleet of collectors, 20 frames a second each, stamped from a minute ago on (Prometheus takes any time in its head's range)
    long first = System.currentTimeMillis() - 60_000;
    for (int i = 0; i < HOSTS; i++) {
      SampleStream stream = new SampleStream(vertx, "forward-" + i, 10_000, SAMPLES_PER_FRAME, first, 10, "forward.metric_");
      stream.start(trans.port(), 50);
      streams.add(stream);
    }
    await().atMost(60, TimeUnit.SECONDS).until(() -> trans.metric("nbnet_forward_samples_sent_total") > 0);
    prometheus.destroy();
    assertTrue(prometheus.waitFor(30, TimeUnit.SECONDS), "Prometheus stopped");
    long stoppedAt = System.currentTimeMillis();
    double sentBeforeTheStop = trans.metric("nbnet_forward_samples_sent_total");
    await().pollDelay(30, TimeUnit.SECONDS).atMost(35, TimeUnit.SECONDS).until(() -> true);
    startPrometheus(prometheusPort);
    // the streams end 20 frames after the restart
    for (SampleStream stream : streams) {
      stream.finishAfter(20);
    }
    long samples = 0;
    for (SampleStream stream : streams) {
      stream.awaitAllAcknowledged(60);
      samples += stream.samples();
    }
    long expected = samples;
    try {
      await().atMost(60, TimeUnit.SECONDS).until(() -> pendingOf(trans, "prometheus") == 0
        && trans.metric("nbnet_forward_samples_sent_total", "target=\"prometheus\"") >= expected);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(expected + " samples to send; " + forwardCounts(trans) + ", " + pendingOf(trans, "prometheus")
        + " frames pending; the end of trans's log:\n" + tail(trans.log()) + "\nPrometheus's:\n"
        + tail(Files.readString(folder.resolve("prometheus.log"))), e);
    }

    // every sample once: as many as were sent, each series's values the frame indexes it was sent with
    JsonArray series = query(prometheusPort, "{__name__=~\"forward_metric_.*\"}[1h]").getJsonArray("result");
    assertEquals(HOSTS * SAMPLES_PER_FRAME, series.size(), "series in Prometheus");
    long stored = 0;
    for (Object item : series) {
      JsonObject one = (JsonObject) item;
      JsonObject labels = one.getJsonObject("metric");
      assertEquals(Set.of("__name__", "host", "dc"), labels.fieldNames(), "labels: " + labels);
      assertEquals("dc1", labels.getString("dc"));
      int metric = Integer.parseInt(labels.getString("__name__").substring("forward_metric_".length()));
      TreeSet<Long> times = new TreeSet<>();
      JsonArray values = one.getJsonArray("values");
      for (int i = 0; i < values.size(); i++) {
        JsonArray point = values.getJsonArray(i);
        long millis = Math.round(point.getDouble(0) * 1000);
        int frame = (int) ((millis - first) / 10);
        assertEquals(first + frame * 10L, millis, labels + ": a time the stream sent");
        assertEquals(frame * 1000.0 + metric, Double.parseDouble(point.getString(1)), labels + " at " + millis);
        times.add(millis);
      }
      assertEquals(values.size(), times.size(), labels + ": no sample twice");
      stored += values.size();
    }
    assertEquals(samples, stored, "samples in Prometheus; trans's counts: " + forwardCounts(trans) + "; the end of its log:\n"
      + tail(trans.log()));
    assertEquals(expected, trans.metric("nbnet_forward_samples_sent_total", "target=\"prometheus\""), "samples trans counted as sent");
    String log = Files.readString(folder.resolve("prometheus.log"));
    assertFalse(log.toLowerCase().contains("out of order"), "Prometheus refused nothing as out of order:\n" + log);
    assertTrue(trans.metric("nbnet_forward_requests_failed_total") > 0, "requests failed while Prometheus was stopped");

    // the target that never answered holds every frame; the savers and the first target took all of them meanwhile
    long frames = samples / SAMPLES_PER_FRAME;
    assertEquals(frames, pendingOf(trans, "away"), "frames the away target holds");
    assertEquals(0, pendingOf(trans, "prometheus"), "frames waiting for Prometheus");
    System.out.printf("forward: %d samples of %d hosts in Prometheus once across a %d s stop (%,.0f sent before it); "
      + "the away target holds %d frames%n", samples, HOSTS, (System.currentTimeMillis() - stoppedAt) / 1000, sentBeforeTheStop, frames);
  }

  /** What trans counted of forwarding, meter by meter. */
  private static String forwardCounts(NbnetProcess trans) throws Exception {
    List<String> counts = new ArrayList<>();
    for (String meter : List.of("nbnet_forward_samples_sent_total", "nbnet_forward_dropped_total", "nbnet_forward_requests_failed_total")) {
      counts.add(meter + " " + trans.metric(meter, "target=\"prometheus\""));
    }
    return String.join(", ", counts);
  }

  private static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static double pendingOf(NbnetProcess trans, String target) throws Exception {
    return trans.metric("nbnet_forward_pending_frames", "target=\"" + target + "\"");
  }

  private JsonObject transConfig(int saverPort, int prometheusPort, int awayPort) {
    JsonObject prometheusTarget = new JsonObject().put("name", "prometheus").put("url", "http://127.0.0.1:" + prometheusPort + "/api/v1/write")
      .put("extraLabels", new JsonObject().put("dc", "dc1")).put("batchDelayMs", 200).put("maxBackoffMs", 1_000)
      .put("queue", new JsonObject().put("spool", new JsonObject().put("dir", folder.resolve("spool-prometheus").toString())));
    JsonObject awayTarget = new JsonObject().put("name", "away").put("url", "http://127.0.0.1:" + awayPort + "/api/v1/write")
      .put("maxBackoffMs", 1_000)
      .put("queue", new JsonObject().put("spool", new JsonObject().put("dir", folder.resolve("spool-away").toString())));
    return new JsonObject().put("components", new JsonArray().add("trans"))
      .put("monitor", new JsonObject().put("host", "127.0.0.1").put("port", 0))
      .put("trans", new JsonObject().put("host", "127.0.0.1").put("port", 0)
        .put("savers", new JsonArray().add("127.0.0.1:" + saverPort))
        .put("remoteWrite", new JsonObject().put("targets", new JsonArray().add(prometheusTarget).add(awayTarget))));
  }

  private void startPrometheus(int port) throws Exception {
    Path config = Files.writeString(folder.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\n");
    prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config, "--storage.tsdb.path=" + folder.resolve("tsdb"),
      "--web.listen-address=127.0.0.1:" + port, "--web.enable-remote-write-receiver")
      .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("prometheus.log").toFile())).start();
    await().atMost(30, TimeUnit.SECONDS).until(() -> NbnetProcess.listening(port));
  }

  private static JsonObject query(int port, String query) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
      + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + System.currentTimeMillis() / 1000.0)).build(),
      HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body()).getJsonObject("data");
  }
}
