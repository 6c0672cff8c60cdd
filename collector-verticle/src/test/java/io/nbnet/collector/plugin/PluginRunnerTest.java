package io.nbnet.collector.plugin;

import io.nbnet.exec.ExecClient;
import io.nbnet.exec.ExecConfig;
import io.nbnet.exec.ExecVerticle;
import io.nbnet.formats.Sample;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plugins as real processes, through a real exec service. */
@ExtendWith(VertxExtension.class)
class PluginRunnerTest {

  private final List<Sample> shipped = new CopyOnWriteArrayList<>();
  private ExecClient exec;

  @BeforeEach
  void deployExec(Vertx vertx) throws Exception {
    vertx.deployVerticle(new ExecVerticle(new ExecConfig("test-plugins", "test.plugins", 4, 4, 10_000, 64 * 1024)))
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    exec = new ExecClient(vertx, "test.plugins");
  }

  @Test
  @DisplayName("a plugin's output becomes samples of this host, once per interval")
  void shipsSamples(Vertx vertx) throws Exception {
    PluginRunner runner = start(vertx, plugin("queue", "echo queue.depth 7; echo queue.age 2", 200, 2_000, PluginFormat.GRAPHITE));
    awaitTrue(() -> shipped.size() >= 4);
    assertTrue(shipped.stream().allMatch(s -> s.host().equals("web-1")));
    assertEquals(7.0, shipped.stream().filter(s -> s.metric().equals("queue.depth")).findFirst().orElseThrow().value());
    assertEquals(0L, on(vertx, () -> runner.stats().failures()));
  }

  @Test
  @DisplayName("never two runs of one plugin at once: overlapping ticks are skipped and counted")
  void skipsOverlappingTicks(Vertx vertx) throws Exception {
    PluginRunner runner = start(vertx, plugin("slow", "sleep 0.7; echo done 1", 100, 5_000, PluginFormat.GRAPHITE));
    Thread.sleep(1_000);
    long runs = on(vertx, () -> runner.stats().runs());
    long skipped = on(vertx, () -> runner.stats().skipped());
    assertTrue(runs <= 2, "runs: " + runs);
    assertTrue(skipped >= 5, "skipped: " + skipped);
  }

  @Test
  @DisplayName("a failing plugin (non-zero exit, timeout, unreadable lines) is counted; the others carry on")
  void countsFailures(Vertx vertx) throws Exception {
    PluginRunner exits = start(vertx, plugin("exits", "echo partial 1; echo 'disk on fire' >&2; exit 3", 200, 2_000, PluginFormat.GRAPHITE));
    PluginRunner hangs = start(vertx, plugin("hangs", "sleep 10", 200, 300, PluginFormat.GRAPHITE));
    PluginRunner garbles = start(vertx, plugin("garbles", "echo not a metric line at all", 200, 2_000, PluginFormat.GRAPHITE));
    PluginRunner healthy = start(vertx, plugin("healthy", "echo fine 1", 200, 2_000, PluginFormat.GRAPHITE));
    awaitTrue(() -> on(vertx, () -> exits.stats().failures()) >= 2 && on(vertx, () -> hangs.stats().failures()) >= 1
      && on(vertx, () -> garbles.stats().badLines()) >= 2 && on(vertx, () -> healthy.stats().runs()) >= 3);
    assertEquals(0L, on(vertx, () -> healthy.stats().failures()));
    assertTrue(shipped.stream().anyMatch(s -> s.metric().equals("fine")));
    assertTrue(shipped.stream().anyMatch(s -> s.metric().equals("partial")), "what a failing plugin printed is still kept");
  }

  private PluginRunner start(Vertx vertx, PluginConfig plugin) throws Exception {
    return on(vertx, () -> {
      PluginRunner runner = new PluginRunner(vertx, plugin, exec, "web-1", shipped::addAll);
      runner.start();
      return runner;
    });
  }

  private static PluginConfig plugin(String name, String shell, long interval, long timeout, PluginFormat format) {
    return new PluginConfig(name, List.of(shell), true, interval, timeout, format, 64 * 1024);
  }

  private static Context context;

  /** Runs on one event-loop context, where the runners live. */
  private static <T> T on(Vertx vertx, Supplier<T> action) throws Exception {
    if (context == null || context.owner() != vertx) {
      context = vertx.getOrCreateContext();
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> result.complete(action.get()));
    return result.get(5, TimeUnit.SECONDS);
  }

  private static void awaitTrue(Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!check.holds()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
      Thread.sleep(50);
    }
  }

  @FunctionalInterface
  private interface Check {
    boolean holds() throws Exception;
  }
}
