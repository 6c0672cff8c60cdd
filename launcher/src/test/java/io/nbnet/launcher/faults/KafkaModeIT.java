package io.nbnet.launcher.faults;

import io.nbnet.kafka.KafkaBroker;
import io.nbnet.mariadb.EmbeddedMariaDb;
import io.nbnet.saver.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka mode end to end with real processes: a KRaft broker, trans publishing by host, two savers in
 * one consumer group, two shards on two MariaDB servers (the test's and an embedded second one).
 */
class KafkaModeIT {

  private static final int PARTITIONS = 4;
  private static final String TOPIC = "nbnet-frames-it";
  private static final Pattern ASSIGNMENT = Pattern.compile("(now|no longer) stores Kafka partitions \\[([0-9, ]*)\\]");

  @TempDir
  static Path folder;
  private static Vertx vertx;
  private static KafkaBroker broker;
  private static EmbeddedMariaDb secondServer;
  private static TestDatabase shardA;
  private static TestDatabase shardB;
  private final List<NbnetProcess> processes = new ArrayList<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    broker = KafkaBroker.start(folder.resolve("kafka"), PARTITIONS);
    secondServer = EmbeddedMariaDb.start(folder.resolve("mariadb-b"), 0, false);
    shardA = new TestDatabase(vertx);
    shardB = new TestDatabase(vertx, secondServer.address());
    shardA.pool();
    shardB.pool();
  }

  @AfterAll
  static void stop() throws Exception {
    shardA.close();
    shardB.close();
    secondServer.close();
    broker.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopProcesses() throws Exception {
    for (NbnetProcess process : processes) {
      process.kill9();
    }
  }

  @Test
  @DisplayName("kill -9 of a saver mid-stream: its partitions move to the other, every sample is stored exactly once, in its host's shard")
  void saverKilledMidStream() throws Exception {
    NbnetProcess saver1 = NbnetProcess.startOnAnyPort(folder, "saver-1", saverConfig(), "saver");
    processes.add(saver1);
    NbnetProcess saver2 = NbnetProcess.startOnAnyPort(folder, "saver-2", saverConfig(), "saver");
    processes.add(saver2);
    NbnetProcess trans = NbnetProcess.startOnAnyPort(folder, "trans", transConfig(), "trans");
    processes.add(trans);

    List<String> hosts = List.of("web-1", "web-2", "db-1", "db-2", "cache-1", "cache-2", "edge-1", "edge-2");
    assertTrue(hosts.stream().anyMatch(host -> partition(host) < 2) && hosts.stream().anyMatch(host -> partition(host) >= 2),
      "the hosts cover both shards");
    List<SampleStream> streams = new ArrayList<>();
    for (String host : hosts) {
      SampleStream stream = new SampleStream(vertx, host, 100, 10);
      stream.start(trans.port(), 20);
      streams.add(stream);
    }
    await().atMost(60, TimeUnit.SECONDS).until(() -> shardA.count(countSql()) + shardB.count(countSql()) >= 1_000);
    // the victim is a saver that holds partitions now; the survivor must end up with all of them
    NbnetProcess victim = held(saver1).isEmpty() ? saver2 : saver1;
    NbnetProcess survivor = victim == saver1 ? saver2 : saver1;
    Set<Integer> victimHeld = held(victim);
    assertTrue(!victimHeld.isEmpty(), "a saver holds partitions mid-stream");
    victim.kill9();
    long storedAtKill = shardA.count(countSql()) + shardB.count(countSql());
    for (SampleStream stream : streams) {
      stream.awaitAllAcknowledged(120);
    }
    // every frame is in Kafka now; the surviving saver takes the dead one's partitions after the session timeout
    long expected = (long) hosts.size() * 100 * 10;
    try {
      await().atMost(120, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
        .until(() -> shardA.count(countSql()) + shardB.count(countSql()) >= expected);
    } finally {
      System.out.printf("stored %d in shard a, %d in shard b of %d sent%n", shardA.count(countSql()), shardB.count(countSql()), expected);
      for (NbnetProcess saver : List.of(saver1, saver2)) {
        System.out.println(saver.log().lines().filter(line -> line.contains("Kafka partitions")).map(line -> saver.name() + ": " + line)
          .collect(java.util.stream.Collectors.joining("\n")));
      }
    }
    for (String host : hosts) {
      TestDatabase own = partition(host) < 2 ? shardA : shardB;
      TestDatabase other = own == shardA ? shardB : shardA;
      Row counts = own.query("SELECT COUNT(*), COUNT(DISTINCT metric, ts) FROM samples_all WHERE host = ?", host).get(0);
      System.out.printf("%s (partition %d): %d rows, %d distinct in its shard%n", host, partition(host), counts.getLong(0), counts.getLong(1));
      assertEquals(1_000, counts.getLong(1), host + ": samples missing");
      assertEquals(1_000, counts.getLong(0), host + ": samples duplicated");
      assertEquals(0, other.count("SELECT COUNT(*) FROM samples_all WHERE host = ?", host), host + " is in the other shard");
    }
    assertTrue(storedAtKill < expected, "the kill hit mid-stream: " + storedAtKill + " of " + expected + " stored");
    System.out.println("killed " + victim.name() + " holding " + victimHeld + "; the survivor now stores " + held(survivor));
    assertEquals(Set.of(0, 1, 2, 3), held(survivor), "the survivor took the dead saver's partitions");
  }

  /** The partitions a saver holds by its log: those it was given minus those taken back (assignment is incremental). */
  private static Set<Integer> held(NbnetProcess saver) throws Exception {
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

  private static String countSql() {
    return "SELECT COUNT(*) FROM samples_all";
  }

  /** Kafka's default partitioner: murmur2 of the key (the host). */
  private static int partition(String host) {
    return Utils.toPositive(Utils.murmur2(host.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  private static JsonObject saverConfig() {
    JsonObject kafka = new JsonObject().put("bootstrap", broker.bootstrap()).put("topic", TOPIC).put("retryMs", 200)
      .put("sessionTimeoutMs", 6_000)
      .put("shards", new JsonArray()
        .add(new JsonObject().put("name", "a").put("partitions", new JsonArray().add("0-1")).put("mysql", shardA.mysqlConfig()))
        .add(new JsonObject().put("name", "b").put("partitions", new JsonArray().add("2-3")).put("mysql", shardB.mysqlConfig())));
    return new JsonObject().put("components", new JsonArray().add("saver"))
      .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", shardA.mysqlConfig()).put("kafka", kafka)
        .put("http", new JsonObject().put("port", 0)));
  }

  private static JsonObject transConfig() {
    return new JsonObject().put("components", new JsonArray().add("trans"))
      .put("trans", new JsonObject().put("host", "127.0.0.1").put("port", 0)
        .put("kafka", new JsonObject().put("bootstrap", broker.bootstrap()).put("topic", TOPIC)));
  }
}
