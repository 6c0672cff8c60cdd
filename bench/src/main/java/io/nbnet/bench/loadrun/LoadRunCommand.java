package io.nbnet.bench.loadrun;

import io.nbnet.support.logging.OneLineLogging;
import io.nbnet.wire.Transports;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code ./nbnet loadrun}: the load client. Exit 0: done, 1: some replies were wrong, 2: the run failed. */
@Command(name = "loadrun", mixinStandardHelpOptions = true, sortOptions = false,
  description = "Load client for any nbnet frame port: keeps requests in flight, checks every reply, reports requests/s and latency.")
public final class LoadRunCommand implements Callable<Integer> {

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "server address (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "9099", description = "server port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = {"-c", "--connections"}, defaultValue = "1", description = "connections (default: ${DEFAULT-VALUE})")
  int connections;

  @Option(names = {"-n", "--in-flight"}, defaultValue = "1", description = "requests in flight per connection, 1 = strict request/response (default: ${DEFAULT-VALUE})")
  int inFlight;

  @Option(names = {"-d", "--duration"}, defaultValue = "10s", description = "measured time, e.g. 10s, 500ms, 2m (default: ${DEFAULT-VALUE})")
  String duration;

  @Option(names = {"-w", "--warmup"}, defaultValue = "2s", description = "load before measuring starts (default: ${DEFAULT-VALUE})")
  String warmup;

  @Option(names = "--payload", defaultValue = "a", description = "request payload (default: ${DEFAULT-VALUE})")
  String payload;

  @Option(names = "--payload-size", description = "send this many bytes instead of --payload")
  Integer payloadSize;

  @Option(names = "--payload-file", description = "send the bytes of this file instead of --payload (e.g. a remote exec request)")
  Path payloadFile;

  @Option(names = "--expect", description = "a reply must start with this to count as a success (default: any reply)")
  String expect;

  @Option(names = "--timeout", defaultValue = "5s", description = "end the run with an error when no reply comes for this long (default: ${DEFAULT-VALUE})")
  String timeout;

  @Option(names = "--threads", description = "client event loops (default: the number of usable cores)")
  Integer threads;

  @Option(names = "--tls-ca", description = "speak TLS, trusting the server's certificate from this CA (PEM)")
  Path tlsCa;

  @Option(names = "--json", description = "print the summary as one JSON object")
  boolean json;

  private final PrintStream out;

  public LoadRunCommand() {
    this(System.out);
  }

  LoadRunCommand(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    OneLineLogging.install();
    System.exit(new CommandLine(new LoadRunCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Buffer body = payloadFile != null ? Buffer.buffer(Files.readAllBytes(payloadFile))
      : payloadSize != null ? Buffer.buffer("x".repeat(payloadSize)) : Buffer.buffer(payload);
    int loops = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    LoadRunOptions options = new LoadRunOptions(host, port, connections, inFlight, parseDuration(duration, "--duration"),
      parseDuration(warmup, "--warmup"), body, expect, parseDuration(timeout, "--timeout"), loops, 64 * 1024 * 1024,
      Optional.ofNullable(tlsCa));
    Vertx vertx = Vertx.vertx(Transports.preferNative(new VertxOptions().setEventLoopPoolSize(loops)));
    try {
      if (!json) {
        out.printf("loadrun: %s:%d%s, %d connection(s) x %d in flight, %s warm-up + %s, %d-byte payload, %d event loop(s), %s%n",
          host, port, tlsCa != null ? " (TLS)" : "", connections, inFlight, warmup, duration, body.length(), loops, Transports.describe(vertx));
      }
      LoadRun run = new LoadRun(vertx, options);
      CompletableFuture<LoadRunResult> result = run.start().toCompletionStage().toCompletableFuture();
      printProgressUntilDone(run, result);
      LoadRunResult summary;
      try {
        summary = result.get();
      } catch (ExecutionException e) {
        String message = e.getCause().getMessage();
        if (json) {
          out.println(new JsonObject().put("error", message).put("replies", run.replies()).encode());
        } else {
          out.println("loadrun: FAILED: " + message);
        }
        return 2;
      }
      out.println(json ? summary.toJson().encode() : "loadrun: " + summary.toText());
      return summary.errors() > 0 ? 1 : 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private void printProgressUntilDone(LoadRun run, CompletableFuture<LoadRunResult> result) throws InterruptedException {
    long lastReplies = 0;
    int second = 0;
    while (!result.isDone()) {
      boolean warmup = run.inWarmup();
      try {
        result.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // a second passed, or the run ended: either way report progress below
      }
      if (json || result.isDone()) {
        continue;
      }
      second++;
      long replies = run.replies();
      out.printf("[%3ds] %,12d req/s  errors %d%s%n", second, replies - lastReplies, run.errors(),
        warmup ? "  (warm-up)" : "");
      lastReplies = replies;
    }
  }

  static Duration parseDuration(String text, String option) {
    String value = text.trim().toLowerCase();
    try {
      if (value.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      }
      if (value.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
      }
      if (value.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)) * 60);
      }
      return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": not a duration: " + text);
    }
  }
}
