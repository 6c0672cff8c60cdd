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
import org.junit.jupiter.api.io.TempDir;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
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
    await().atMost(10, TimeUnit.SECONDS).until(() -> shipped.size() >= 4);
    assertTrue(shipped.stream().allMatch(s -> s.host().equals("web-1")));
    assertEquals(7.0, shipped.stream().filter(s -> s.metric().equals("queue.depth")).findFirst().orElseThrow().value());
    assertEquals(0L, runner.stats().failures());
  }

  @Test
  @DisplayName("never two runs of one plugin at once: overlapping ticks are skipped and counted")
  void skipsOverlappingTicks(Vertx vertx, @TempDir Path folder) throws Exception {
    Path trace = folder.resolve("trace");
    PluginRunner runner = start(vertx, plugin("slow", "echo start >> " + trace + "; sleep 0.3; echo end >> " + trace + "; echo done 1",
      50, 5_000, PluginFormat.GRAPHITE));
    await().atMost(10, TimeUnit.SECONDS).until(() -> runner.stats().runs() >= 3 && runner.stats().skipped() >= 3);
    on(vertx, () -> {
      runner.stop();
      return null;
    });
    await().atMost(10, TimeUnit.SECONDS).until(() -> Files.readAllLines(trace).size() % 2 == 0);
    List<String> lines = Files.readAllLines(trace);
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(i % 2 == 0 ? "start" : "end", lines.get(i), "runs interleaved: " + lines);
    }
  }

  @Test
  @DisplayName("a plugin's meters leave with it: a reloaded plugin of the same name counts from its own runs, not a frozen old counter")
  void removesMetersOnStop(Vertx vertx) throws Exception {
    if (Metrics.globalRegistry.getRegistries().isEmpty()) {
      Metrics.addRegistry(new SimpleMeterRegistry());
    }
    PluginRunner first = start(vertx, plugin("reloaded", "echo x 1", 100, 2_000, PluginFormat.GRAPHITE));
    await().atMost(10, TimeUnit.SECONDS).until(() -> runsMeter() >= 2);
    on(vertx, () -> {
      first.stop();
      return null;
    });
    assertEquals(-1, runsMeter(), "the stopped plugin's meter is gone");
    PluginRunner second = start(vertx, plugin("reloaded", "echo x 1", 100, 2_000, PluginFormat.GRAPHITE));
    await().atMost(10, TimeUnit.SECONDS).until(() -> second.stats().runs() >= 1);
    assertEquals(second.stats().runs(), runsMeter(), 1.0, "the meter reads the new runner");
  }

  private static double runsMeter() {
    var counter = Metrics.globalRegistry.find("nbnet.plugin.runs").tags("plugin", "reloaded").functionCounter();
    return counter == null ? -1 : counter.count();
  }

  @Test
  @DisplayName("a failing plugin (non-zero exit, timeout, unreadable lines) is counted; the others carry on")
  void countsFailures(Vertx vertx) throws Exception {
    PluginRunner exits = start(vertx, plugin("exits", "echo partial 1; echo 'disk on fire' >&2; exit 3", 200, 2_000, PluginFormat.GRAPHITE));
    PluginRunner hangs = start(vertx, plugin("hangs", "echo before.hang 5; printf 'cut.short 12'; sleep 10", 200, 300, PluginFormat.GRAPHITE));
    PluginRunner garbles = start(vertx, plugin("garbles", "echo not a metric line at all", 200, 2_000, PluginFormat.GRAPHITE));
    PluginRunner healthy = start(vertx, plugin("healthy", "echo fine 1", 200, 2_000, PluginFormat.GRAPHITE));
    await().atMost(10, TimeUnit.SECONDS).until(() -> exits.stats().failures() >= 2 && hangs.stats().failures() >= 1
      && garbles.stats().badLines() >= 2 && healthy.stats().runs() >= 3);
    assertEquals(0L, healthy.stats().failures());
    assertTrue(shipped.stream().anyMatch(s -> s.metric().equals("fine")));
    assertTrue(shipped.stream().anyMatch(s -> s.metric().equals("partial")), "what a failing plugin printed is still kept");
    assertTrue(hangs.stats().timeouts() >= 1);
    assertTrue(shipped.stream().anyMatch(s -> s.metric().equals("before.hang")), "what a plugin printed before its timeout is kept");
    assertTrue(shipped.stream().noneMatch(s -> s.metric().equals("cut.short")), "a line the timeout cut short is dropped");
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

}
