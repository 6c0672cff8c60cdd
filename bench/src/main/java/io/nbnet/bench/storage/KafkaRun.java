package io.nbnet.bench.storage;

import io.nbnet.kafka.KafkaBroker;
import io.nbnet.store.MySqlConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fleet through Kafka mode: trans publishing to a topic, savers consuming it into shards, every
 * part its own process, and the CPU each used. A run ends when the savers have stored every sample.
 */
final class KafkaRun {

  /** What a run measured: rates, and CPU seconds per process name (bench, trans, broker, saver-N, database-N). */
  record Result(long samples, double publishSeconds, double storeSeconds, Map<String, Double> cpuSeconds, long refused) {
  }


  private final Vertx vertx;
  private final KafkaBroker broker;
  private final Path jar;
  private final String saverHeap;

  KafkaRun(Vertx vertx, KafkaBroker broker, Path jar, String saverHeap) {
    this.vertx = vertx;
    this.broker = broker;
    this.jar = jar;
    this.saverHeap = saverHeap;
  }

  /**
   * Sends {@code warmUpIntervals} of the fleet and waits until they are stored, then measures the next
   * {@code intervals}: a process's warm-up (its JIT compiling the hot code, a cost paid once per start)
   * is not counted per sample.
   *
   * @param shards one database per shard; the topic's {@code partitions} are split evenly among them
   * @param savers saver processes in the consumer group
   */
  Result run(Path folder, String topic, int partitions, List<MySqlConfig> shards, int savers, MovingFleet fleet, long warmUpIntervals,
             long intervals, int connections, int inFlight) throws Exception {
    for (MySqlConfig shard : shards) {
      BenchDatabase.recreate(vertx, shard);
    }
    JsonArray shardMap = new JsonArray();
    for (int s = 0; s < shards.size(); s++) {
      int first = s * partitions / shards.size();
      int last = (s + 1) * partitions / shards.size() - 1;
      shardMap.add(new JsonObject().put("name", "s" + s).put("partitions", new JsonArray().add(first + "-" + last))
        .put("mysql", BenchDatabase.json(shards.get(s))));
    }
    List<ServerProcess> saverProcesses = new ArrayList<>();
    ServerProcess trans = null;
    try {
      for (int i = 1; i <= savers; i++) {
        JsonObject saver = new JsonObject().put("host", "127.0.0.1").put("port", 0).put("http", new JsonObject().put("enabled", false))
          .put("mysql", BenchDatabase.json(shards.get(0)))
          .put("kafka", new JsonObject().put("bootstrap", broker.bootstrap()).put("topic", topic).put("group", "bench-" + topic)
            .put("shards", shardMap));
        saverProcesses.add(ServerProcess.start(jar, new JsonObject().put("components", new JsonArray().add("saver")).put("saver", saver)
          .put("monitor", new JsonObject().put("host", "127.0.0.1").put("port", 0)), saverHeap, folder, topic + "-saver-" + i));
      }
      trans = ServerProcess.start(jar, new JsonObject().put("components", new JsonArray().add("trans")).put("trans", new JsonObject()
        .put("host", "127.0.0.1").put("port", 0)
        .put("kafka", new JsonObject().put("bootstrap", broker.bootstrap()).put("topic", topic))), "512m", folder, topic + "-trans");
      CpuClock cpu = new CpuClock().watch("bench", ProcessHandle.current().pid()).watch("trans", trans.pid()).watch("broker", broker.pid());
      for (int i = 0; i < saverProcesses.size(); i++) {
        cpu.watch("saver-" + (i + 1), saverProcesses.get(i).pid());
      }
      long samplesPerInterval = (long) fleet.hosts() * fleet.seriesPerHost();
      PipelineRun.send(vertx, fleet, 0, warmUpIntervals, connections, inFlight, trans.port(), new RateTimeline());
      awaitStored(saverProcesses, warmUpIntervals * samplesPerInterval, folder);
      cpu.watchDatabaseServers().start();
      long samples = intervals * samplesPerInterval;
      long start = System.nanoTime();
      long refused = PipelineRun.send(vertx, fleet, warmUpIntervals, warmUpIntervals + intervals, connections, inFlight, trans.port(),
        new RateTimeline());
      double publishSeconds = (System.nanoTime() - start) / 1e9;
      awaitStored(saverProcesses, (warmUpIntervals + intervals) * samplesPerInterval, folder);
      double storeSeconds = (System.nanoTime() - start) / 1e9;
      cpu.stop();
      return new Result(samples, publishSeconds, storeSeconds, cpu.seconds(), refused);
    } finally {
      if (trans != null) {
        trans.close();
      }
      for (ServerProcess saver : saverProcesses) {
        saver.close();
      }
    }
  }

  /** Waits until the savers have inserted {@code rows} rows (their /metrics say so). */
  static void awaitStored(List<ServerProcess> savers, long rows, Path folder) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    while (storedRows(savers) < rows) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the savers did not store every sample within 30 minutes; logs in " + folder);
      }
      Thread.sleep(200);
    }
  }

  /** Rows the savers inserted so far, all storages and tables, from their /metrics. */
  private static long storedRows(List<ServerProcess> savers) throws Exception {
    long rows = 0;
    for (ServerProcess saver : savers) {
      rows += (long) saver.meter("nbnet_saver_rows_total");
    }
    return rows;
  }

}
