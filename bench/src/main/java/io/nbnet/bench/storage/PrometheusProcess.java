package io.nbnet.bench.storage;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The reference: a real Prometheus over TSDB blocks that {@code promtool} made of the bench's OpenMetrics. */
final class PrometheusProcess implements AutoCloseable {

  private final Process process;
  private final int port;

  private PrometheusProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static PrometheusProcess start(Path prometheus, Path promtool, Path openMetrics, Path folder) throws Exception {
    Path data = Files.createDirectories(folder.resolve("tsdb"));
    long began = System.nanoTime();
    Process blocks = new ProcessBuilder(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics", "--quiet", openMetrics.toString(),
      data.toString()).redirectErrorStream(true).start();
    String output = new String(blocks.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!blocks.waitFor(30, TimeUnit.MINUTES) || blocks.exitValue() != 0) {
      throw new IllegalStateException("promtool failed: " + output);
    }
    System.out.printf("promtool made the blocks in %.0f s%n", (System.nanoTime() - began) / 1e9);
    Path config = Files.writeString(folder.resolve("prometheus.yml"), "global:\n  scrape_interval: 15s\n");
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Process process = new ProcessBuilder(List.of(prometheus.toString(), "--config.file=" + config, "--storage.tsdb.path=" + data,
      "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.retention.time=30d"))
      .redirectErrorStream(true).redirectOutput(folder.resolve("prometheus.log").toFile()).start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (true) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return new PrometheusProcess(process, port);
        }
      } catch (java.io.IOException notYet) {
        // starting
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("Prometheus did not become ready; its log: " + folder.resolve("prometheus.log"));
      }
      Thread.sleep(200);
    }
  }

  int port() {
    return port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(30, TimeUnit.SECONDS);
  }
}
