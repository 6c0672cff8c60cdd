package io.nbnet.bench.loadrun;

import io.nbnet.bench.server.BenchServerVerticle;
import io.nbnet.wire.FrameServer;
import io.nbnet.wire.FrameServerConfig;
import io.nbnet.wire.RequestHandler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The C load client of ./nbnet bench-frames, compiled with gcc and run as a process against a real frame server. */
@ExtendWith(VertxExtension.class)
class CLoadClientTest {

  @TempDir
  static Path folder;
  private static Path client;
  private final AtomicLong handled = new AtomicLong();

  @BeforeAll
  static void compile() throws Exception {
    // like the browser test without Chromium: skipped where the C toolchain is missing (.ci/run installs it)
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")) && Files.exists(Path.of("/usr/include/openssl/ssl.h")),
      "gcc and libssl-dev are needed to build the C load client");
    client = folder.resolve("load_client");
    Process gcc = new ProcessBuilder("gcc", "-O2", "-o", client.toString(), "baselines/load_client.c", "-lssl", "-lcrypto")
      .redirectErrorStream(true).start();
    String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(gcc.waitFor(60, TimeUnit.SECONDS), "gcc finished");
    assertEquals(0, gcc.exitValue(), output);
  }

  @Test
  @DisplayName("every reply is counted once, and the CPU of the named server process is measured")
  void countsReplies(Vertx vertx) throws Exception {
    int port = startServer(vertx, counting(BenchServerVerticle.handler(BenchServerVerticle.Mode.A)));
    JsonObject result = run(port, 3, 10, "a");
    assertEquals(0L, result.getLong("errors"));
    assertTrue(result.getLong("requests") > 0);
    assertTrue(result.getLong("requests") <= result.getLong("totalReplies"));
    // the server handled every reply the client counted, plus at most the requests still in flight at the end
    long total = result.getLong("totalReplies");
    assertTrue(handled.get() >= total && handled.get() <= total + 3 * 10, handled.get() + " handled, " + total + " replies");
    assertTrue(result.getDouble("serverCpu") > 0, "this JVM, the server, used CPU: " + result);
    assertTrue(result.getDouble("clientCpu") > 0 && result.getLong("clientCeiling") > 0, result.encode());
    assertTrue(result.getJsonObject("latencyMicros").getLong("p50") <= result.getJsonObject("latencyMicros").getLong("p99"));
  }

  @Test
  @DisplayName("replies that do not start with --expect are errors, not requests")
  void countsWrongReplies(Vertx vertx) throws Exception {
    int port = startServer(vertx, BenchServerVerticle.handler(BenchServerVerticle.Mode.A));
    JsonObject result = run(port, 1, 4, "b");
    assertTrue(result.getLong("errors") > 0, result.encode());
    assertEquals(0L, result.getLong("requests"));
  }

  private static JsonObject run(int port, int connections, int inFlight, String expect) throws Exception {
    List<String> command = new ArrayList<>(List.of(client.toString(), "--port", String.valueOf(port), "-c", String.valueOf(connections),
      "-n", String.valueOf(inFlight), "-d", "0.7", "-w", "0.2", "--expect", expect, "--server-pid", String.valueOf(ProcessHandle.current().pid())));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the client ends by itself");
    assertEquals(0, process.exitValue(), output);
    return new JsonObject(output);
  }

  private RequestHandler counting(RequestHandler handler) {
    return (payload, peer) -> {
      handled.incrementAndGet();
      return handler.handle(payload, peer);
    };
  }

  private static int startServer(Vertx vertx, RequestHandler handler) throws Exception {
    return new FrameServer(vertx, "bench-test", FrameServerConfig.defaults("127.0.0.1", 0).withMaxPendingPerConnection(1024), handler)
      .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }
}
