package io.nbnet.launcher.faults;

import io.vertx.core.json.JsonObject;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/** One nbnet process started from the shaded jar, as an operator would run it. */
final class NbnetProcess {

  /**
   * One client for every scrape, speaking HTTP/1.1: the JDK client's h2c upgrade against the Vert.x
   * monitor now and then never completes, which hung ClusterIT's polling.
   */
  private static final HttpClient METRICS_CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(5)).build();

  private static final Pattern MONITOR = Pattern.compile("metrics on (http://\\S+/metrics)");
  private static final String JAR = System.getProperty("nbnet.jar", "target/nbnet.jar");

  private final String name;
  private final Path log;
  private final Process process;
  private final Restart restart;
  private int reportedPort;
  /** The config section of the server started on port 0, if any. */
  private String server;

  /** What it takes to start the same process again. */
  private record Restart(Path folder, JsonObject config, int port, List<String> jvmOptions, List<String> launcherArguments) {
  }

  private NbnetProcess(String name, Path log, Process process, Restart restart) {
    this.name = name;
    this.log = log;
    this.process = process;
    this.restart = restart;
  }

  /** Starts the same configuration again (after a kill), logging to a new file; a server on port 0 comes back on the port it had. */
  NbnetProcess restart() throws Exception {
    if (server != null) {
      JsonObject config = restart.config().copy();
      config.getJsonObject(server).put("port", reportedPort);
      return startOnAnyPort(restart.folder(), name + "-restarted", config, server);
    }
    return start(restart.folder(), name + "-restarted", restart.config(), restart.port(), restart.jvmOptions(), restart.launcherArguments());
  }

  /** Starts the jar with this config; when {@code port} > 0, waits until something listens there. */
  static NbnetProcess start(Path folder, String name, JsonObject config, int port) throws Exception {
    return start(folder, name, config, port, List.of(), List.of());
  }

  /** Like {@link #start(Path, String, JsonObject, int)} with extra JVM options and launcher arguments. */
  static NbnetProcess start(Path folder, String name, JsonObject config, int port, List<String> jvmOptions,
                            List<String> launcherArguments) throws Exception {
    Path configFile = folder.resolve(name + ".json");
    Files.writeString(configFile, config.encodePrettily());
    Path log = folder.resolve(name + ".log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR, "-conf", configFile.toString()));
    command.addAll(launcherArguments);
    Process process = new ProcessBuilder(command)
      .redirectErrorStream(true)
      .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
      .start();
    NbnetProcess started = new NbnetProcess(name, log, process, new Restart(folder, config, port, jvmOptions, launcherArguments));
    if (port > 0) {
      await().atMost(60, TimeUnit.SECONDS).pollInterval(50, TimeUnit.MILLISECONDS)
        .failFast(name + " exited; log:\n" + started.log(), () -> !process.isAlive())
        .until(() -> listening(port));
    }
    return started;
  }

  /**
   * Starts the jar with its server on port 0 and waits for the port it reports
   * ({@code "<server> listening on HOST:PORT"}).
   */
  static NbnetProcess startOnAnyPort(Path folder, String name, JsonObject config, String server) throws Exception {
    String extra = System.getProperty("nbnet.it.jvmOptions", "");
    NbnetProcess started = start(folder, name, config, 0, extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+")), List.of());
    Pattern listening = Pattern.compile(Pattern.quote(server) + " listening on [^:\\s]+:(\\d+)");
    Matcher port = await().atMost(60, TimeUnit.SECONDS).pollInterval(50, TimeUnit.MILLISECONDS)
      .failFast(name + " exited before it reported its port", () -> !started.process.isAlive())
      .until(() -> listening.matcher(started.log()), Matcher::find);
    started.reportedPort = Integer.parseInt(port.group(1));
    started.server = server;
    return started;
  }

  String name() {
    return name;
  }

  /** The port the server reported ({@link #startOnAnyPort}). */
  int port() {
    return reportedPort;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed by the process. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, and wait for the process to end. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(name + " did not stop on SIGTERM within 60 s");
    }
    return process.exitValue();
  }

  /**
   * The value of a Prometheus series on the process's monitor port (configured as port 0 and read from
   * its log), summed over its labels; 0 when it is not there yet.
   */
  double metric(String series) throws Exception {
    return metric(series, "");
  }

  /** As {@link #metric(String)}, over the lines that hold {@code label} (say {@code target="away"}). */
  double metric(String series, String label) throws Exception {
    Matcher monitor = MONITOR.matcher(log());
    if (!monitor.find()) {
      return 0;
    }
    HttpResponse<String> metrics = METRICS_CLIENT.send(HttpRequest.newBuilder(URI.create(monitor.group(1)))
      .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return metrics.body().lines().filter(line -> line.startsWith(series + "{") || line.startsWith(series + " "))
      .filter(line -> line.contains(label))
      .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Waits until the log contains {@code text}; fails with the end of the log when it does not. */
  void awaitLog(String text, long seconds) throws IOException {
    try {
      await(name + " logs \"" + text + "\"").atMost(seconds, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS)
        .until(() -> log().contains(text));
    } catch (ConditionTimeoutException e) {
      List<String> lines = log().lines().filter(line -> !line.contains(" DEBUG ")).toList();
      throw new AssertionError(name + " did not log \"" + text + "\" within " + seconds + " s; the end of its log:\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())), e);
    }
  }

  static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
