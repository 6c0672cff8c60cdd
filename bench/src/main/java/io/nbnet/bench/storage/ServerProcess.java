package io.nbnet.bench.storage;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A saver or trans started from the production jar as its own process (port 0: the port is read from
 * its log), with a GC log to read its heap peak from.
 */
final class ServerProcess implements AutoCloseable {

  /** JVM options for the servers started, on top of the heap and GC log. */
  static final String EXTRA_OPTIONS_ENV = "NBNET_BENCH_SERVER_JAVA_OPTS";

  private static final Pattern GC_BEFORE = Pattern.compile("(\\d+)M->\\d+M");
  private static final Pattern LISTENING = Pattern.compile(" listening on [^:]+:(\\d+)");
  private static final Pattern DASHBOARD = Pattern.compile("dashboard listening on [^:]+:(\\d+)");
  private static final Pattern MONITOR = Pattern.compile("metrics on (http://\\S+/metrics)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final Path gcLog;
  private final Path output;
  private final int port;

  private ServerProcess(Process process, Path gcLog, Path output, int port) {
    this.process = process;
    this.gcLog = gcLog;
    this.output = output;
    this.port = port;
  }

  static ServerProcess start(Path jar, JsonObject config, String heap, Path folder, String name) throws Exception {
    Path configFile = folder.resolve(name + ".json");
    Files.writeString(configFile, config.encodePrettily());
    Path gcLog = folder.resolve(name + "-gc.log");
    Path output = folder.resolve(name + ".log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx" + heap, "-Xlog:gc:file=" + gcLog));
    // e.g. a flight recording of the server: -XX:StartFlightRecording=filename=/tmp/NAME.jfr (NAME: saver or trans)
    String extra = System.getenv().getOrDefault(EXTRA_OPTIONS_ENV, "").replace("NAME", name).trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toString(), "-conf", configFile.toString()));
    Process process = new ProcessBuilder(command)
      .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      Matcher listening = LISTENING.matcher(Files.exists(output) ? Files.readString(output) : "");
      if (listening.find()) {
        return new ServerProcess(process, gcLog, output, Integer.parseInt(listening.group(1)));
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException(name + " did not start; its log: " + output);
      }
      Thread.sleep(100);
    }
  }

  int port() {
    return port;
  }

  /** The port of a saver's query API, from its log; waits for it a while. */
  int apiPort() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Matcher dashboard = DASHBOARD.matcher(Files.readString(output));
      if (dashboard.find()) {
        return Integer.parseInt(dashboard.group(1));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the saver's log does not say where its API listens: " + output);
      }
      Thread.sleep(100);
    }
  }

  /** The process's /metrics, once its log says where they are (it needs a {@code monitor} section); empty before. */
  Optional<String> metrics() throws IOException, InterruptedException {
    Matcher monitor = MONITOR.matcher(Files.readString(output));
    if (!monitor.find()) {
      return Optional.empty();
    }
    return Optional.of(HTTP.send(HttpRequest.newBuilder(URI.create(monitor.group(1))).timeout(Duration.ofSeconds(10)).build(),
      HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body());
  }

  /** The sum of the process's meters named {@code name} (any labels); 0 before its metrics are up. */
  double meter(String name) throws IOException, InterruptedException {
    return metrics().orElse("").lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
      .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  Path log() {
    return output;
  }

  /** The largest heap occupancy a GC found, in MB; -1 when no GC ran. */
  long pid() {
    return process.pid();
  }

  long heapPeakMegabytes() throws IOException {
    long peak = -1;
    for (String line : Files.exists(gcLog) ? Files.readAllLines(gcLog) : List.<String>of()) {
      Matcher matcher = GC_BEFORE.matcher(line);
      while (matcher.find()) {
        peak = Math.max(peak, Long.parseLong(matcher.group(1)));
      }
    }
    return peak;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
