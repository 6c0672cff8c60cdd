package io.nbnet.bench.storage;

import io.nbnet.store.MySqlConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./nbnet bench-promql}: the same queries against the real Prometheus 2.42 and against nbnet's
 * saver, on the same samples (a fleet shaped like the real collector's output: one host for a day, the
 * fleet for the last hour), side by side: p50 and p99 per query shape, their ratio, and where nbnet's
 * time goes (the saver's {@code Server-Timing}: fetching from MySQL with the blocks' decoding,
 * evaluating, writing the answer).
 */
@Command(name = "bench-promql", mixinStandardHelpOptions = true,
  description = "PromQL queries against Prometheus 2.42 and nbnet on the same samples: p50/p99 per query shape and their ratio.")
public final class PromqlBenchCommand implements Callable<Integer> {

  @Option(names = "--hosts", defaultValue = "300", description = "hosts of the fleet (default: ${DEFAULT-VALUE})")
  int hosts;

  @Option(names = "--day-hours", defaultValue = "24", description = "hours of the dashboard host's samples (default: ${DEFAULT-VALUE})")
  int dayHours;

  @Option(names = "--fleet-minutes", defaultValue = "60", description = "minutes of the whole fleet's samples (default: ${DEFAULT-VALUE})")
  int fleetMinutes;

  @Option(names = "--interval-ms", defaultValue = "10000", description = "the collectors' interval (default: ${DEFAULT-VALUE})")
  long intervalMillis;

  @Option(names = "--devices", defaultValue = "1", description = "disks, interfaces and filesystems per host (default: ${DEFAULT-VALUE})")
  int devices;

  @Option(names = "--runs", defaultValue = "20", description = "measured runs of each shape on each side (default: ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--warm-ups", defaultValue = "30", description = "unmeasured runs of each shape on each side first, as a saver "
    + "that has run for a while has its hot path compiled (default: ${DEFAULT-VALUE})")
  int warmUps;

  @Option(names = "--jar", defaultValue = "launcher/target/nbnet.jar", description = "the nbnet jar (default: ${DEFAULT-VALUE})")
  Path jar;

  @Option(names = "--saver-heap", defaultValue = "1g", description = "the saver's -Xmx (default: ${DEFAULT-VALUE})")
  String saverHeap;

  @Option(names = "--prometheus", defaultValue = "/usr/bin/prometheus")
  Path prometheus;

  @Option(names = "--promtool", defaultValue = "/usr/bin/promtool")
  Path promtool;

  @Mixin
  BenchMySqlOptions mysqlOptions;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PromqlBenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    MySqlConfig mysql = mysqlOptions.database("nbnet_bench_promql");
    Vertx vertx = Vertx.vertx();
    try (TempFolder folder = TempFolder.create("nbnet-bench-promql")) {
      FleetTemplate template = FleetTemplate.record(devices);
      long now = System.currentTimeMillis() / intervalMillis * intervalMillis;
      long dayStart = now - dayHours * 3_600_000L;
      long fleetStart = now - fleetMinutes * 60_000L;
      MovingFleet day = new MovingFleet(template, 1, dayStart, intervalMillis);
      MovingFleet fleet = new MovingFleet(template, hosts, fleetStart, intervalMillis);
      System.out.printf("data: %d series per host; host %s for %d h, %d hosts for the last %d min, every %d ms%n", template.series().size(),
        day.host(0), dayHours, hosts, fleetMinutes, intervalMillis);

      BenchDatabase.recreate(vertx, mysql);
      JsonObject saverConfig = new JsonObject().put("components", new io.vertx.core.json.JsonArray().add("saver"))
        .put("monitor", new JsonObject().put("host", "127.0.0.1").put("port", 0)).put("saver", new JsonObject()
        .put("host", "127.0.0.1").put("port", 0).put("mysql", BenchDatabase.json(mysql))
        .put("http", new JsonObject().put("port", 0).put("maxSamples", 50_000_000).put("maxSeries", 1_000_000).put("queryTimeoutMs", 120_000)
          .put("queryShare", 64)));
      try (ServerProcess saver = ServerProcess.start(jar, saverConfig, saverHeap, folder.path(), "saver")) {
        PromqlBenchData data = new PromqlBenchData(vertx, day, fleet, folder.path().resolve("samples.om"));
        long samples = data.load(saver.port(), now);
        System.out.printf("loaded %,d samples into nbnet and into %s%n", samples, data.openMetrics());
        data.awaitCompacted(vertx, mysql, now);
        double headSamples = saver.meter("nbnet_saver_head_samples");
        System.out.printf("the saver's head: %,.0f samples of %,.0f series in %.1f MB (%.2f bytes a sample), answering for the last %.0f s%n",
          headSamples, saver.meter("nbnet_saver_head_series"), saver.meter("nbnet_saver_head_bytes") / 1e6,
          saver.meter("nbnet_saver_head_bytes") / Math.max(1, headSamples), saver.meter("nbnet_saver_head_covered_seconds"));
        try (PrometheusProcess reference = PrometheusProcess.start(prometheus, promtool, data.openMetrics(), folder.path())) {
          Files.deleteIfExists(data.openMetrics());
          PromqlBenchRun run = new PromqlBenchRun(vertx, reference.port(), saver.apiPort(), runs, warmUps);
          run.measure(PromqlShapes.shapes(day.host(0), now));
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    return 0;
  }
}
