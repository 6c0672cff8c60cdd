package io.nbnet.bench.loadrun;

import io.nbnet.bench.server.BenchServerVerticle;
import io.nbnet.wire.FrameServer;
import io.nbnet.wire.FrameServerConfig;
import io.nbnet.wire.RequestHandler;
import io.nbnet.wire.testing.RefusedPort;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load client against real frame servers on loopback. */
@ExtendWith(VertxExtension.class)
class LoadRunTest {

  private final AtomicLong handled = new AtomicLong();

  @Test
  @DisplayName("every reply is counted: the client's total equals the requests the server handled")
  void countsReplies(Vertx vertx) throws Exception {
    int port = startServer(vertx, counting(BenchServerVerticle.handler(BenchServerVerticle.Mode.A)));
    LoadRunResult result = run(vertx, options(port, 3, 10, "a"));
    assertEquals(0, result.errors());
    assertTrue(result.requests() > 0);
    assertTrue(result.requests() <= result.totalReplies());
    assertEquals(handled.get(), result.totalReplies());
    assertTrue(result.p50Micros() > 0 && result.p50Micros() <= result.p99Micros() && result.p99Micros() <= result.maxMicros());
  }

  @Test
  @DisplayName("replies that do not start with the expected prefix are counted as errors")
  void countsWrongReplies(Vertx vertx) throws Exception {
    int port = startServer(vertx, counting(BenchServerVerticle.handler(BenchServerVerticle.Mode.A)));
    LoadRunResult result = run(vertx, options(port, 1, 4, "b"));
    assertTrue(result.errors() > 0);
    assertEquals(result.requests(), result.errors());
  }

  @Test
  @DisplayName("echo mode sends the payload back, so the payload itself is the expected prefix")
  void echoes(Vertx vertx) throws Exception {
    int port = startServer(vertx, BenchServerVerticle.handler(BenchServerVerticle.Mode.ECHO));
    LoadRunOptions options = new LoadRunOptions("127.0.0.1", port, 2, 5, Duration.ofMillis(300), Duration.ZERO,
      Buffer.buffer("ping-payload"), "ping-payload", Duration.ofSeconds(5), 2, 1 << 20);
    assertEquals(0, run(vertx, options).errors());
  }

  @Test
  @DisplayName("a dead server ends the run at once with an error")
  void failsOnDeadServer(Vertx vertx) throws Exception {
    try (RefusedPort dead = new RefusedPort()) {
      int port = dead.port();
      ExecutionException e = assertThrows(ExecutionException.class, () -> run(vertx, options(port, 2, 1, null)));
      assertTrue(e.getCause().getMessage().startsWith("cannot connect to 127.0.0.1:" + port), e.getCause().getMessage());
    }
  }

  @Test
  @DisplayName("a server that stops answering ends the run with an error after the reply timeout")
  void failsOnSilentServer(Vertx vertx) throws Exception {
    int port = startServer(vertx, (payload, peer) -> Promise.<Buffer>promise().future());
    LoadRunOptions options = new LoadRunOptions("127.0.0.1", port, 1, 1, Duration.ofSeconds(30), Duration.ZERO,
      Buffer.buffer("a"), null, Duration.ofMillis(300), 1, 1 << 20);
    long start = System.nanoTime();
    ExecutionException e = assertThrows(ExecutionException.class, () -> run(vertx, options));
    assertTrue(e.getCause().getMessage().contains("no reply from 127.0.0.1:" + port + " within 300 ms"), e.getCause().getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
  }

  @Test
  @DisplayName("the command's JSON summary parses and carries the figures; exit code 0")
  void printsJsonSummary(Vertx vertx) throws Exception {
    int port = startServer(vertx, BenchServerVerticle.handler(BenchServerVerticle.Mode.A));
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int exit = new CommandLine(new LoadRunCommand(new PrintStream(output, true, StandardCharsets.UTF_8)))
      .execute("--port", String.valueOf(port), "-c", "2", "-n", "3", "-d", "500ms", "-w", "100ms", "--expect", "a", "--json");
    assertEquals(0, exit);
    JsonObject summary = new JsonObject(output.toString(StandardCharsets.UTF_8).trim());
    assertEquals(2, summary.getInteger("connections"));
    assertEquals(3, summary.getInteger("inFlight"));
    assertEquals(0L, summary.getLong("errors"));
    assertTrue(summary.getLong("requestsPerSecond") > 0);
    assertTrue(summary.getJsonObject("latencyMicros").getLong("p99") > 0);
  }

  @Test
  @DisplayName("the command exits 2 with a message when the server is down")
  void commandFailsOnDeadServer() throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int exit;
    try (RefusedPort dead = new RefusedPort()) {
      exit = new CommandLine(new LoadRunCommand(new PrintStream(output, true, StandardCharsets.UTF_8)))
        .execute("--port", String.valueOf(dead.port()), "-d", "1s", "-w", "0s");
    }
    assertEquals(2, exit);
    assertTrue(output.toString(StandardCharsets.UTF_8).contains("loadrun: FAILED: cannot connect"), output.toString());
  }

  private RequestHandler counting(RequestHandler handler) {
    return (payload, peer) -> {
      handled.incrementAndGet();
      return handler.handle(payload, peer);
    };
  }

  private static LoadRunOptions options(int port, int connections, int inFlight, String expect) {
    return new LoadRunOptions("127.0.0.1", port, connections, inFlight, Duration.ofMillis(700), Duration.ofMillis(200),
      Buffer.buffer("a"), expect, Duration.ofSeconds(5), 2, 1 << 20);
  }

  private static LoadRunResult run(Vertx vertx, LoadRunOptions options) throws Exception {
    return new LoadRun(vertx, options).start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static int startServer(Vertx vertx, RequestHandler handler) throws Exception {
    return new FrameServer(vertx, "bench-test", FrameServerConfig.defaults("127.0.0.1", 0).withMaxFrameBytes(1 << 20).withIdleTimeoutMillis(5_000).withMaxPendingPerConnection(1024), handler)
      .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }
}
