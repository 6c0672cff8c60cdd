package io.nbnet.bench.storage;

import io.nbnet.kafka.KafkaBroker;
import io.nbnet.mariadb.EmbeddedMariaDb;
import io.nbnet.mariadb.MariaDbAddress;
import io.nbnet.store.MySqlConfig;
import io.nbnet.support.logging.OneLineLogging;
import io.nbnet.wire.Transports;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * ./nbnet bench-kafka: the fleet of bench-storage through Kafka mode, once with one saver and one shard,
 * once with two savers and two shards (the second shard on a second MariaDB server), with the CPU
 * seconds each component spent per million samples, so capacity per core can be extrapolated.
 */
@Command(name = "bench-kafka", mixinStandardHelpOptions = true,
  description = "samples/s through trans -> Kafka -> savers -> shards, one shard against two, and CPU per million samples")
public final class KafkaBenchCommand implements Callable<Integer> {

  @Option(names = "--hosts", defaultValue = "1000", description = "simulated hosts (default: ${DEFAULT-VALUE})")
  int hosts;

  @Option(names = "--intervals", defaultValue = "20", description = "intervals every host sends (default: ${DEFAULT-VALUE})")
  long intervals;

  @Option(names = "--warm-up-intervals", defaultValue = "10",
    description = "intervals sent and stored before the measured ones, so the processes' JIT warm-up is not counted (default: ${DEFAULT-VALUE})")
  long warmUpIntervals;

  @Option(names = "--interval-ms", defaultValue = "10000", description = "the collectors' interval (default: ${DEFAULT-VALUE})")
  long intervalMillis;

  @Option(names = "--devices", defaultValue = "3", description = "disks, interfaces and filesystems per host (default: ${DEFAULT-VALUE})")
  int devices;

  @Option(names = "--partitions", defaultValue = "8", description = "partitions of the topic (default: ${DEFAULT-VALUE})")
  int partitions;

  @Option(names = "--connections", defaultValue = "16", description = "sender connections (default: ${DEFAULT-VALUE})")
  int connections;

  @Option(names = "--in-flight", defaultValue = "8", description = "frames in flight per sender connection (default: ${DEFAULT-VALUE})")
  int inFlight;

  @Mixin
  BenchMySqlOptions mysqlServer;

  @Option(names = "--saver-heap", defaultValue = "512m", description = "-Xmx of each saver (default: ${DEFAULT-VALUE})")
  String saverHeap;

  @Option(names = "--jar", defaultValue = "launcher/target/nbnet.jar")
  Path jar;

  public static void main(String[] args) {
    OneLineLogging.install();
    System.exit(new CommandLine(new KafkaBenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx(Transports.preferNative(new VertxOptions()));
    try (TempFolder temp = TempFolder.create("nbnet-bench-kafka");
         KafkaBroker broker = KafkaBroker.start(temp.path().resolve("kafka"), partitions);
         EmbeddedMariaDb second = EmbeddedMariaDb.start(temp.path().resolve("mariadb-2"), 0, false)) {
      Path folder = temp.path();
      FleetTemplate template = FleetTemplate.record(devices);
      long start = (System.currentTimeMillis() - (warmUpIntervals + intervals + 6L) * intervalMillis) / 300_000 * 300_000;
      long samples = (long) hosts * intervals * template.series().size();
      System.out.printf("bench-kafka: %d hosts x %d intervals x %d series (this machine's collector) = %,d samples measured after %d"
        + " intervals of warm-up; %d partitions; broker, trans, savers and the second MariaDB are processes of their own on this machine%n",
        hosts, intervals, template.series().size(), samples, warmUpIntervals, partitions);
      KafkaRun run = new KafkaRun(vertx, broker, jar, saverHeap);
      MySqlConfig first = mysqlServer.database("nbnet_kbench_a");
      MariaDbAddress other = second.address();
      MySqlConfig secondShard = BenchMySqlOptions.of(other.host(), other.port(), other.user(), other.password(), "nbnet_kbench_b");
      KafkaRun.Result one = run.run(folder, "bench-one-shard", partitions, List.of(first), 1,
        new MovingFleet(template, hosts, start, intervalMillis), warmUpIntervals, intervals, connections, inFlight);
      print("1 saver, 1 shard", one);
      KafkaRun.Result two = run.run(folder, "bench-two-shards", partitions, List.of(first, secondShard), 2,
        new MovingFleet(template, hosts, start, intervalMillis), warmUpIntervals, intervals, connections, inFlight);
      print("2 savers, 2 shards", two);
      long logBytes = DiskUsage.allocatedBytes(broker.dataFolder());
      long logged = (one.samples() + two.samples()) * (warmUpIntervals + intervals) / intervals;
      System.out.printf("Kafka log after both runs: %,d bytes allocated = %.1f bytes per sample (lz4 batches, replication 1)%n",
        logBytes, logBytes / (double) logged);
      System.out.printf("two shards / one: %.2fx samples/s stored (both share this machine's %d cores)%n",
        (two.samples() / two.storeSeconds()) / (one.samples() / one.storeSeconds()), Runtime.getRuntime().availableProcessors());
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static void print(String what, KafkaRun.Result result) {
    double millions = result.samples() / 1e6;
    StringBuilder cpu = new StringBuilder();
    double total = 0;
    for (Map.Entry<String, Double> entry : result.cpuSeconds().entrySet()) {
      cpu.append(String.format(" %s %.2f", entry.getKey(), entry.getValue() / millions));
      total += entry.getValue();
    }
    System.out.printf("%s: %,.0f samples/s acknowledged by Kafka (trans OK), %,.0f samples/s stored (%.1f s to the last row);"
      + " frames refused and sent again: %d%n", what, result.samples() / result.publishSeconds(), result.samples() / result.storeSeconds(),
      result.storeSeconds(), result.refused());
    System.out.printf("  CPU seconds per million samples:%s; all %.2f%n", cpu, total / millions);
  }
}
