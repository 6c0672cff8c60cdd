package io.nbnet.bench.server;

import io.nbnet.exec.remote.RemoteExecHandler;
import io.nbnet.support.testing.LogCapture;
import io.nbnet.wire.FrameServerConfig;
import io.nbnet.wire.testing.RawFrameSocket;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The old framework's homework, "popen without blocking": slow commands run through remote exec
 * while other connections are served, and Vert.x's blocked-thread checker (set to complain after
 * 200 ms on an event loop) never speaks.
 */
class ExecDoesNotBlockTest {

  private static final Logger BLOCKED_THREAD_LOG = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");
  private static final int SLOW_COMMANDS = 20;

  private LogCapture blockedThreads;
  private Vertx vertx;

  @BeforeEach
  void startServer() {
    blockedThreads = LogCapture.of(BLOCKED_THREAD_LOG.getName());
    BLOCKED_THREAD_LOG.setLevel(Level.ALL);
    vertx = Vertx.vertx(new VertxOptions()
      .setBlockedThreadCheckInterval(50)
      .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
  }

  @AfterEach
  void stop() throws Exception {
    blockedThreads.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("20 'sleep 2' commands run through exec while echo requests on other connections are all answered before they end")
  void slowCommandsDoNotDelayOthers() throws Exception {
    JsonObject exec = new JsonObject().put("enabled", true).put("maxConcurrent", SLOW_COMMANDS).put("maxQueued", 0)
      .put("allowWithoutToken", true)
      .put("allow", new JsonArray().add(new JsonObject().put("argv", new JsonArray().add("sleep").add("2"))));
    BenchServerVerticle server = new BenchServerVerticle(FrameServerConfig.defaults("127.0.0.1", 0).withMaxFrameBytes(1 << 20).withIdleTimeoutMillis(5_000).withMaxPendingPerConnection(64),
      BenchServerVerticle.Mode.ECHO, exec);
    vertx.deployVerticle(server).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    int port = server.actualPort();

    List<RawFrameSocket> slow = new ArrayList<>();
    String sleep = RemoteExecHandler.request(new JsonObject().put("argv", new JsonArray().add("sleep").add("2"))).toString();
    long start = System.nanoTime();
    for (int i = 0; i < SLOW_COMMANDS; i++) {
      slow.add(new RawFrameSocket(port).send(sleep));
    }
    int echoes = 0;
    long slowestEcho = 0;
    try (RawFrameSocket a = new RawFrameSocket(port); RawFrameSocket b = new RawFrameSocket(port)) {
      while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1500)) {
        for (RawFrameSocket socket : List.of(a, b)) {
          long sent = System.nanoTime();
          assertEquals("ping " + echoes, socket.request("ping " + echoes));
          slowestEcho = Math.max(slowestEcho, System.nanoTime() - sent);
          echoes++;
        }
      }
      long answeredBy = System.nanoTime() - start;
      assertTrue(answeredBy < TimeUnit.SECONDS.toNanos(2), "echoes answered before the sleeps could end");
    }
    for (RawFrameSocket socket : slow) {
      String reply = socket.readReply();
      assertTrue(reply.startsWith("OK "), reply);
      JsonObject result = new JsonObject(reply.substring(3));
      assertEquals(0, result.getInteger("exitCode"));
      assertTrue(result.getLong("durationMs") >= 2000, "slept 2 s: " + result);
      socket.close();
    }
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "the 20 sleeps ran side by side");
    assertTrue(echoes > 50, "echo requests answered while the commands ran: " + echoes);
    assertTrue(slowestEcho < TimeUnit.MILLISECONDS.toNanos(500), "slowest echo took " + slowestEcho / 1_000_000 + " ms");
    assertEquals(List.of(), blockedThreads.lines(), "blocked-thread warnings");
  }
}
