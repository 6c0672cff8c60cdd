package io.nbnet.bench.storage;

import io.nbnet.store.MySqlConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./nbnet bench-rules}: the fleet (the real collector's series, {@link MovingFleet}) sent in real
 * time, every host every interval, into a saver without rules, then into a fresh saver evaluating the
 * shipped rules plus {@code --extra-rules} more over the same series (most in 15 s groups, the heavy
 * ones, {@code predict_linear} and {@code avg_over_time} over an hour, in 1 min groups). Each interval's
 * frames are sent when its time comes and acknowledged once committed: the time that takes is the
 * ingest's, beside the rules; the saver's /metrics give each group's round time.
 */
@Command(name = "bench-rules", mixinStandardHelpOptions = true,
  description = "a real-time fleet into a saver without rules, then with the shipped rules and more: ingest time per interval, round times, CPU")
public final class RulesBenchCommand implements Callable<Integer> {


  @Option(names = "--hosts", defaultValue = "3000", description = "hosts of the fleet (default: ${DEFAULT-VALUE})")
  int hosts;

  @Option(names = "--intervals", defaultValue = "12", description = "measured intervals (default: ${DEFAULT-VALUE})")
  int intervals;

  @Option(names = "--warm-up-intervals", defaultValue = "3", description = "intervals before the clock starts (default: ${DEFAULT-VALUE})")
  int warmUpIntervals;

  @Option(names = "--interval-ms", defaultValue = "10000", description = "the collectors' interval (default: ${DEFAULT-VALUE})")
  long intervalMillis;

  @Option(names = "--extra-rules", defaultValue = "200", description = "rules added to the shipped ones (default: ${DEFAULT-VALUE})")
  int extraRules;

  @Option(names = "--shipped-rules", defaultValue = "conf/rules/nbnet-host.yml")
  Path shippedRules;

  @Option(names = "--connections", defaultValue = "8", description = "connections to the saver (default: ${DEFAULT-VALUE})")
  int connections;

  @Option(names = "--in-flight", defaultValue = "4", description = "frames in flight per connection (default: ${DEFAULT-VALUE})")
  int inFlight;

  @Option(names = "--jar", defaultValue = "launcher/target/nbnet.jar")
  Path jar;

  @Option(names = "--saver-heap", defaultValue = "2g", description = "the saver's -Xmx (default: ${DEFAULT-VALUE})")
  String saverHeap;

  @Mixin
  BenchMySqlOptions mysqlOptions;

  public static void main(String[] args) {
    System.exit(new CommandLine(new RulesBenchCommand()).execute(args));
  }

  /** What one run measured: each measured interval's time from its start until every frame of it was committed. */
  private record Result(double[] ingestSeconds, Map<String, Double> cpu, String rounds) {
    double median() {
      double[] sorted = ingestSeconds.clone();
      Arrays.sort(sorted);
      return sorted[sorted.length / 2];
    }

    double max() {
      return Arrays.stream(ingestSeconds).max().orElse(0);
    }
  }

  @Override
  public Integer call() throws Exception {
    MySqlConfig mysql = mysqlOptions.database("nbnet_bench_rules");
    Vertx vertx = Vertx.vertx();
    try (TempFolder folder = TempFolder.create("nbnet-bench-rules")) {
      FleetTemplate template = FleetTemplate.record(1);
      long perInterval = (long) hosts * template.series().size();
      System.out.printf("fleet: %d hosts x %d series (the collector's) every %d ms: %,.0f samples/s offered; %d intervals measured after %d%n",
        hosts, template.series().size(), intervalMillis, perInterval * 1000.0 / intervalMillis, intervals, warmUpIntervals);
      Path extra = folder.path().resolve("bench-rules.yml");
      Files.writeString(extra, extraRules(template));
      Result without = run(vertx, mysql, folder.path(), template, List.of(), "without rules");
      Result with = run(vertx, mysql, folder.path(), template, List.of(shippedRules.toAbsolutePath().toString(), extra.toString()),
        "with " + extraRules + " rules more than the shipped ones");
      System.out.printf("ingest: an interval of %,d samples committed in %.2f s (median) / %.2f s (max) without rules, %.2f / %.2f s "
        + "with them: %.0f%% of the capacity without rules (goal: at least 90%%)%n", perInterval, without.median(), without.max(),
        with.median(), with.max(), 100 * without.median() / with.median());
      System.out.println("rule groups (goal: a 15 s round under 2 s):");
      System.out.print(with.rounds());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    return 0;
  }

  /**
   * Rules over the fleet's own series: most compare a gauge (never true, so every series is read and
   * nothing fires) or record a per-host aggregate every 15 s; every tenth reads an hour per series
   * ({@code predict_linear}, {@code avg_over_time}) every minute, as capacity rules do.
   */
  private String extraRules(FleetTemplate template) {
    Set<String> metrics = new LinkedHashSet<>();
    template.series().forEach(series -> metrics.add(series.metric().replaceAll("[^a-zA-Z0-9_:]", "_")));
    List<String> names = new ArrayList<>(metrics);
    StringBuilder fast = new StringBuilder("  - name: bench-15s\n    interval: 15s\n    rules:\n");
    StringBuilder heavy = new StringBuilder("  - name: bench-heavy\n    interval: 1m\n    rules:\n");
    for (int i = 0; i < extraRules; i++) {
      String metric = names.get(i % names.size());
      if (i % 10 == 9) {
        heavy.append(i % 20 == 9
          ? "      - alert: Bench" + i + "\n        expr: predict_linear(" + metric + "[1h], 86400) < -1e18\n        for: 10m\n"
          : "      - record: bench:" + metric + ":avg1h_" + i + "\n        expr: avg_over_time(" + metric + "[1h])\n");
      } else if (i % 3 == 0) {
        fast.append("      - record: bench:").append(metric).append(":by_host_").append(i).append("\n        expr: avg by (host) (")
          .append(metric).append(")\n");
      } else {
        fast.append("      - alert: Bench").append(i).append("\n        expr: ").append(metric).append(" > 1e18\n        for: 5m\n")
          .append("        annotations:\n          summary: '{{ $labels.host }}: {{ $value | humanize }}'\n");
      }
    }
    return "groups:\n" + fast + heavy;
  }

  private Result run(Vertx vertx, MySqlConfig mysql, Path folder, FleetTemplate template, List<String> rules, String name)
    throws Exception {
    BenchDatabase.recreate(vertx, mysql);
    JsonObject saverConfig = new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", BenchDatabase.json(mysql))
      .put("http", new JsonObject().put("enabled", false));
    if (!rules.isEmpty()) {
      saverConfig.put("rules", new JsonObject().put("files", new JsonArray(rules)));
    }
    String prefix = rules.isEmpty() ? "plain" : "rules";
    try (ServerProcess saver = ServerProcess.start(jar, new JsonObject().put("components", new JsonArray().add("saver"))
      .put("monitor", new JsonObject().put("host", "127.0.0.1").put("port", 0)).put("saver", saverConfig), saverHeap, folder,
      prefix + "-saver")) {
      long start = (System.currentTimeMillis() / intervalMillis + 1) * intervalMillis;
      MovingFleet fleet = new MovingFleet(template, hosts, start, intervalMillis);
      double[] ingest = new double[intervals];
      CpuClock cpu = null;
      for (int i = 0; i < warmUpIntervals + intervals; i++) {
        long due = start + i * intervalMillis;
        long wait = due - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        }
        if (i == warmUpIntervals) {
          cpu = new CpuClock().watch("saver", saver.pid()).watchDatabaseServer().start();
        }
        PipelineRun.send(vertx, fleet, i, i + 1, connections, inFlight, saver.port(), new RateTimeline());
        if (i >= warmUpIntervals) {
          ingest[i - warmUpIntervals] = (System.currentTimeMillis() - due) / 1000.0;
        }
      }
      String cpuLine = cpu.stop();
      double seconds = intervals * intervalMillis / 1000.0;
      System.out.printf("%s: intervals committed in %s s; CPU over %.0f s: %s%n", name, Arrays.toString(ingest), seconds, cpuLine);
      return new Result(ingest, cpu.seconds(), rules.isEmpty() ? "" : rounds(saver));
    }
  }

  /** Each group's rounds from the saver's /metrics: count, mean and longest, and the rounds missed. */
  private static String rounds(ServerProcess saver) throws Exception {
    Optional<String> metrics = saver.metrics();
    if (metrics.isEmpty()) {
      return "  (no monitor port in the saver's log)\n";
    }
    String body = metrics.get();
    Map<String, Map<String, Double>> byGroup = new TreeMap<>();
    Pattern line = Pattern.compile("^nbnet_rules_(group_rounds_seconds_count|group_rounds_seconds_sum|group_rounds_seconds_max"
      + "|group_missed_total|failures_total)\\{group=\"([^\"]+)\".*\\} (\\S+)$");
    body.lines().map(line::matcher).filter(Matcher::matches)
      .forEach(m -> byGroup.computeIfAbsent(m.group(2), g -> new TreeMap<>()).merge(m.group(1), Double.parseDouble(m.group(3)), Double::sum));
    StringBuilder out = new StringBuilder();
    byGroup.forEach((group, values) -> {
      double count = values.getOrDefault("group_rounds_seconds_count", 0.0);
      out.append(String.format("  %-12s %3.0f rounds, %.3f s mean, %.3f s longest (last minutes), %.0f missed, %.0f rule failures%n", group,
        count, count == 0 ? 0 : values.getOrDefault("group_rounds_seconds_sum", 0.0) / count,
        values.getOrDefault("group_rounds_seconds_max", 0.0), values.getOrDefault("group_missed_total", 0.0),
        values.getOrDefault("failures_total", 0.0)));
    });
    Files.readString(saver.log()).lines().filter(l -> l.contains("RuleEvaluator") && l.contains(" failed: ")).distinct().limit(10)
      .forEach(l -> out.append("  ").append(l.substring(l.indexOf("rule "))).append('\n'));
    return out.toString();
  }
}
