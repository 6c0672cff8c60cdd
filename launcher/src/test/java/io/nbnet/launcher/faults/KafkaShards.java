package io.nbnet.launcher.faults;

import io.nbnet.kafka.KafkaBroker;
import io.nbnet.mariadb.EmbeddedMariaDb;
import io.nbnet.store.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the Kafka-mode fault tests stand on: a KRaft broker with four partitions per topic, two shards
 * on two MariaDB servers (the test's and an embedded second one; partitions 0-1 in shard a, 2-3 in
 * shard b), the nbnet processes a test started, and the checks that every sample is stored once, in its
 * host's shard.
 */
final class KafkaShards implements AutoCloseable {

  /** A stream's length when nothing ends it: ten minutes of frames. */
  static final int MAX_FRAMES = 30_000;

  static final int PARTITIONS = 4;
  private static final Pattern ASSIGNMENT = Pattern.compile("(now|no longer) stores Kafka partitions \\[([0-9, ]*)\\]");

  final Vertx vertx;
  final KafkaBroker broker;
  final TestDatabase shardA;
  final TestDatabase shardB;
  private final Path folder;
  private final EmbeddedMariaDb secondServer;
  private final List<NbnetProcess> processes = new ArrayList<>();

  private KafkaShards(Path folder) {
    this.folder = folder;
    vertx = Vertx.vertx();
    // both take seconds, mostly waiting on their own processes: side by side
    CompletableFuture<EmbeddedMariaDb> second = CompletableFuture.supplyAsync(() -> EmbeddedMariaDb.start(folder.resolve("mariadb-b"), 0, false));
    broker = KafkaBroker.start(folder.resolve("kafka"), PARTITIONS);
    secondServer = second.join();
    shardA = new TestDatabase(vertx);
    shardB = new TestDatabase(vertx, secondServer.address());
    shardA.pool();
    shardB.pool();
  }

  static KafkaShards start(Path folder) {
    return new KafkaShards(folder);
  }

  EmbeddedMariaDb secondServer() {
    return secondServer;
  }

  /** Starts the jar with this config, its server on port 0; {@link #killProcesses} ends it. */
  NbnetProcess start(String name, JsonObject config, String server) throws Exception {
    NbnetProcess process = NbnetProcess.startOnAnyPort(folder, name, config, server);
    processes.add(process);
    return process;
  }

  void killProcesses() throws Exception {
    for (NbnetProcess process : processes) {
      process.kill9();
    }
    processes.clear();
  }

  @Override
  public void close() throws Exception {
    killProcesses();
    shardA.close();
    shardB.close();
    secondServer.close();
    broker.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Eight hosts named PREFIX-..., checked to fall on both shards. */
  static List<String> hosts(String prefix) {
    List<String> hosts = new ArrayList<>();
    for (String name : List.of("web-1", "web-2", "db-1", "db-2", "cache-1", "cache-2", "edge-1", "edge-2")) {
      hosts.add(prefix + "-" + name);
    }
    assertTrue(hosts.stream().anyMatch(host -> partition(host) < 2) && hosts.stream().anyMatch(host -> partition(host) >= 2),
      "the hosts cover both shards");
    return hosts;
  }

  /**
   * One stream per host of frames of 10 samples, a frame every 20 ms, through {@code port}, until
   * {@link #finishAndCheck} ends them: however slowly this machine runs, a fault the test causes on seeing
   * some samples stored comes mid-stream (they stop by themselves after {@link #MAX_FRAMES}).
   */
  List<SampleStream> stream(List<String> hosts, int port) {
    List<SampleStream> streams = new ArrayList<>();
    for (String host : hosts) {
      SampleStream stream = new SampleStream(vertx, host, MAX_FRAMES, 10);
      stream.start(port, 20);
      streams.add(stream);
    }
    return streams;
  }

  /** Ends every stream {@code more} frames after what it shipped so far. */
  private static void finishAfter(List<SampleStream> streams, int more) throws Exception {
    for (SampleStream stream : streams) {
      stream.finishAfter(more);
    }
  }

  static long acknowledged(List<SampleStream> streams) throws Exception {
    long sum = 0;
    for (SampleStream stream : streams) {
      sum += stream.acknowledged();
    }
    return sum;
  }

  long stored(String prefix) {
    return shardA.count(countSql(prefix)) + shardB.count(countSql(prefix));
  }

  static String countSql(String prefix) {
    return "SELECT COUNT(*) FROM samples_all WHERE host LIKE '" + prefix + "-%'";
  }

  /**
   * Ends every stream {@code more} frames later, waits until all of them are acknowledged and stored,
   * checks each sample is there once, in its host's shard only; returns the samples sent.
   */
  long finishAndCheck(List<SampleStream> streams, int more, List<NbnetProcess> savers) throws Exception {
    finishAfter(streams, more);
    for (SampleStream stream : streams) {
      stream.awaitAllAcknowledged(120);
    }
    awaitEachOnceInItsShard(streams, savers);
    long sent = 0;
    for (SampleStream stream : streams) {
      sent += stream.samples();
    }
    return sent;
  }

  /** Waits until every stream's samples are stored, then checks each is there once, in its host's shard only. */
  void awaitEachOnceInItsShard(List<SampleStream> streams, List<NbnetProcess> savers) throws Exception {
    Map<String, Long> expected = new LinkedHashMap<>();
    for (SampleStream stream : streams) {
      expected.put(stream.host(), (long) stream.samples());
    }
    awaitEachOnceInItsShard(expected, savers);
  }

  /** Waits until each host's {@code expected} samples are stored, then checks each is there once, in its host's shard only. */
  void awaitEachOnceInItsShard(Map<String, Long> expected, List<NbnetProcess> savers) throws Exception {
    String first = expected.keySet().iterator().next();
    String prefix = first.substring(0, first.indexOf('-'));
    long total = expected.values().stream().mapToLong(Long::longValue).sum();
    try {
      await().atMost(120, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).until(() -> stored(prefix) >= total);
    } finally {
      System.out.printf("stored %d in shard a, %d in shard b of %d sent%n", shardA.count(countSql(prefix)), shardB.count(countSql(prefix)), total);
      for (NbnetProcess saver : savers) {
        System.out.println(saver.log().lines().filter(line -> line.contains("Kafka partitions")).map(line -> saver.name() + ": " + line)
          .collect(Collectors.joining("\n")));
      }
    }
    for (Map.Entry<String, Long> host : expected.entrySet()) {
      TestDatabase own = partition(host.getKey()) < 2 ? shardA : shardB;
      TestDatabase other = own == shardA ? shardB : shardA;
      Row counts = own.query("SELECT COUNT(*), COUNT(DISTINCT metric, ts) FROM samples_all WHERE host = ?", host.getKey()).get(0);
      assertEquals(host.getValue(), counts.getLong(1), host.getKey() + ": samples missing");
      assertEquals(host.getValue(), counts.getLong(0), host.getKey() + ": samples duplicated");
      assertEquals(0, other.count("SELECT COUNT(*) FROM samples_all WHERE host = ?", host.getKey()), host.getKey() + " is in the other shard");
    }
  }

  /** The partitions a saver holds by its log: those it was given minus those taken back (assignment is incremental). */
  static Set<Integer> held(NbnetProcess saver) throws Exception {
    Set<Integer> held = new TreeSet<>();
    Matcher line = ASSIGNMENT.matcher(saver.log());
    while (line.find()) {
      Set<Integer> partitions = new TreeSet<>();
      for (String number : line.group(2).split(",\\s*")) {
        if (!number.isBlank()) {
          partitions.add(Integer.parseInt(number.trim()));
        }
      }
      if (line.group(1).equals("now")) {
        held.addAll(partitions);
      } else {
        held.removeAll(partitions);
      }
    }
    return held;
  }

  /** Kafka's default partitioner: murmur2 of the key (the host). */
  static int partition(String host) {
    return Utils.toPositive(Utils.murmur2(host.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  /** A saver in Kafka mode: partitions 0-1 in shard a (its own database), 2-3 in shard b at {@code shardBMysql}. */
  JsonObject saverConfig(String topic, JsonObject shardBMysql) {
    JsonObject kafka = new JsonObject().put("bootstrap", broker.bootstrap()).put("topic", topic).put("group", "savers-" + topic)
      .put("retryMs", 200).put("sessionTimeoutMs", 6_000)
      .put("shards", new JsonArray()
        .add(new JsonObject().put("name", "a").put("partitions", new JsonArray().add("0-1")).put("mysql", shardA.mysqlConfig()))
        .add(new JsonObject().put("name", "b").put("partitions", new JsonArray().add("2-3")).put("mysql", shardBMysql)));
    return new JsonObject().put("components", new JsonArray().add("saver"))
      .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", shardA.mysqlConfig()).put("kafka", kafka)
        .put("http", new JsonObject().put("port", 0)));
  }

  /** A saver in Kafka mode with both shards on their own servers. */
  JsonObject saverConfig(String topic) {
    return saverConfig(topic, shardB.mysqlConfig());
  }

  /** Trans in Kafka mode, with a spool in {@code spool} when not null. */
  JsonObject transConfig(String topic, Path spool) {
    JsonObject trans = new JsonObject().put("host", "127.0.0.1").put("port", 0)
      .put("kafka", new JsonObject().put("bootstrap", broker.bootstrap()).put("topic", topic).put("timeoutMs", 3_000));
    if (spool != null) {
      trans.put("spool", new JsonObject().put("dir", spool.toString()).put("fsync", "never"));
    }
    return new JsonObject().put("components", new JsonArray().add("trans")).put("trans", trans)
      .put("logging", new JsonObject().put("levels", new JsonObject().put("io.nbnet.trans", "FINE")));
  }
}
