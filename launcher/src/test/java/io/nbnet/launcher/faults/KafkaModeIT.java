package io.nbnet.launcher.faults;

import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.kafka.KafkaBroker;
import io.nbnet.mariadb.EmbeddedMariaDb;
import io.nbnet.saver.testing.TestDatabase;
import io.nbnet.wire.FrameClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka mode end to end with real processes: a KRaft broker, trans publishing by host, two savers in
 * one consumer group, two shards on two MariaDB servers (the test's and an embedded second one).
 */
class KafkaModeIT {

  private static final int PARTITIONS = 4;
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
    String topic = "frames-kill";
    NbnetProcess saver1 = start("saver-1", saverConfig(topic, shardB.mysqlConfig()), "saver");
    NbnetProcess saver2 = start("saver-2", saverConfig(topic, shardB.mysqlConfig()), "saver");
    NbnetProcess trans = start("trans", transConfig(topic, null), "trans");
    List<String> hosts = hosts("k");
    List<SampleStream> streams = stream(hosts, trans.port(), 100);
    await().atMost(60, TimeUnit.SECONDS).until(() -> stored("k") >= 1_000);
    // the victim is a saver that holds partitions now; the survivor must end up with all of them
    NbnetProcess victim = held(saver1).isEmpty() ? saver2 : saver1;
    NbnetProcess survivor = victim == saver1 ? saver2 : saver1;
    Set<Integer> victimHeld = held(victim);
    assertTrue(!victimHeld.isEmpty(), "a saver holds partitions mid-stream");
    victim.kill9();
    long storedAtKill = stored("k");
    for (SampleStream stream : streams) {
      stream.awaitAllAcknowledged(120);
    }
    // every frame is in Kafka now; the surviving saver takes the dead one's partitions after the session timeout
    awaitEachOnceInItsShard(hosts, 1_000, List.of(saver1, saver2));
    assertTrue(storedAtKill < hosts.size() * 1_000L, "the kill hit mid-stream: " + storedAtKill + " stored");
    System.out.println("killed " + victim.name() + " holding " + victimHeld + "; the survivor now stores " + held(survivor));
    assertEquals(Set.of(0, 1, 2, 3), held(survivor), "the survivor took the dead saver's partitions");

    // the query API reads across shards: every host in the list, each host's series from its own shard
    int api = apiPort(survivor);
    JsonArray listed = new JsonArray(get(api, "/api/hosts"));
    Set<String> names = new TreeSet<>();
    listed.forEach(host -> names.add(((JsonObject) host).getString("host")));
    assertTrue(names.containsAll(hosts), "hosts of both shards listed: " + names);
    for (String host : List.of(hosts.stream().filter(h -> partition(h) < 2).findFirst().orElseThrow(),
      hosts.stream().filter(h -> partition(h) >= 2).findFirst().orElseThrow())) {
      JsonArray series = new JsonArray(get(api, "/api/series?host=" + host));
      assertEquals(10, series.size(), host + "'s series, read from its shard: " + series);
    }
  }

  private static int apiPort(NbnetProcess saver) throws Exception {
    Matcher port = Pattern.compile("dashboard listening on [^:\\s]+:(\\d+)").matcher(saver.log());
    assertTrue(port.find(), "the saver reported its API port");
    return Integer.parseInt(port.group(1));
  }

  private static String get(int port, String path) throws Exception {
    HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
      .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return response.body();
  }

  @Test
  @DisplayName("a saver joining mid-stream takes partitions from the running one (cooperative rebalancing); every sample once, in its shard")
  void saverJoinsMidStream() throws Exception {
    String topic = "frames-join";
    NbnetProcess saver1 = start("saver-join-1", saverConfig(topic, shardB.mysqlConfig()), "saver");
    NbnetProcess trans = start("trans-join", transConfig(topic, null), "trans");
    List<String> hosts = hosts("j");
    List<SampleStream> streams = stream(hosts, trans.port(), 800);
    await().atMost(60, TimeUnit.SECONDS).until(() -> stored("j") >= 2_000);
    NbnetProcess saver2 = start("saver-join-2", saverConfig(topic, shardB.mysqlConfig()), "saver");
    await().atMost(60, TimeUnit.SECONDS).until(() -> !held(saver2).isEmpty());
    long storedAtJoin = stored("j");
    for (SampleStream stream : streams) {
      stream.awaitAllAcknowledged(120);
    }
    awaitEachOnceInItsShard(hosts, 8_000, List.of(saver1, saver2));
    assertTrue(storedAtJoin < hosts.size() * 8_000L, "the join happened mid-stream: " + storedAtJoin + " stored");
    Set<Integer> first = held(saver1);
    Set<Integer> second = held(saver2);
    System.out.println("after the join: " + first + " and " + second);
    Set<Integer> all = new TreeSet<>(first);
    all.addAll(second);
    assertEquals(Set.of(0, 1, 2, 3), all, "every partition has an owner");
    assertEquals(first.size() + second.size(), all.size(), "no partition has two");
  }

  @Test
  @DisplayName("a frame of several hosts (a relay's, a push gateway's) is split by host: each host's samples land in its own shard")
  void multiHostFrameSplit() throws Exception {
    String topic = "frames-split";
    start("saver-split", saverConfig(topic, shardB.mysqlConfig()), "saver");
    NbnetProcess trans = start("trans-split", transConfig(topic, null), "trans");
    List<String> hosts = hosts("m");
    List<Sample> samples = new ArrayList<>();
    for (String host : hosts) {
      samples.add(Sample.numeric(host, 1_700_000_000_000L, "cpu.user", "", 1));
      samples.add(Sample.numeric(host, 1_700_000_000_000L, "cpu.idle", "", 99));
    }
    Buffer reply = FrameClient.connect(vertx, vertx.createNetClient(), "127.0.0.1", trans.port(), 1 << 20, 30_000)
      .compose(client -> client.send(NativeFormat.encode("relay", 1, samples)))
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals("OK", reply.toString(), "acknowledged once every host's part is in Kafka");
    awaitEachOnceInItsShard(hosts, 2, List.of());
  }

  @Test
  @DisplayName("a shard's MariaDB unreachable: the other shard's hosts keep flowing, the lag shows on /metrics, the stopped shard catches up, each sample once")
  void shardOutage() throws Exception {
    String topic = "frames-outage";
    TcpProxy proxy = new TcpProxy(vertx, 0, secondServer.address().host(), secondServer.address().port());
    proxy.open();
    NbnetProcess saver = start("saver-outage", saverConfig(topic, shardB.mysqlConfig().copy().put("port", proxy.port()))
      .put("monitor", new JsonObject().put("host", "127.0.0.1").put("port", 0)), "saver");
    NbnetProcess trans = start("trans-outage", transConfig(topic, null), "trans");
    List<String> hosts = hosts("o");
    stream(hosts, trans.port(), 800);
    await().atMost(60, TimeUnit.SECONDS).until(() -> shardB.count(countSql("o")) >= 500);
    proxy.block();
    saver.awaitLog("MySQL writes are failing", 60);
    long stuckInB = shardB.count(countSql("o"));
    long flowingInA = shardA.count(countSql("o"));
    // shard a carries on while b is away, and b's partitions wait in Kafka (lag on /metrics)
    await().atMost(60, TimeUnit.SECONDS).until(() -> shardA.count(countSql("o")) >= flowingInA + 500);
    await().atMost(30, TimeUnit.SECONDS).until(() -> saver.metric("nbnet_kafka_consumer_lag") > 0);
    assertEquals(stuckInB, shardB.count(countSql("o")), "nothing reached the unreachable shard");
    System.out.printf("while shard b was away: shard a went from %d to %d samples, lag %.0f frames%n",
      flowingInA, shardA.count(countSql("o")), saver.metric("nbnet_kafka_consumer_lag"));
    proxy.open();
    awaitEachOnceInItsShard(hosts, 8_000, List.of(saver));
  }

  @Test
  @DisplayName("the broker restarted mid-stream: trans spools what it cannot publish, then delivers; each sample once")
  void brokerRestart() throws Exception {
    String topic = "frames-restart";
    NbnetProcess saver = start("saver-restart", saverConfig(topic, shardB.mysqlConfig()), "saver");
    NbnetProcess trans = start("trans-restart", transConfig(topic, folder.resolve("trans-spool")), "trans");
    List<String> hosts = hosts("r");
    List<SampleStream> streams = stream(hosts, trans.port(), 600);
    await().atMost(60, TimeUnit.SECONDS).until(() -> stored("r") >= 500);
    broker.stop();
    // with the broker away, an OK can only mean "spooled by trans" (after the producer's 3 s timeout)
    long acknowledgedWhileDown = acknowledged(streams);
    await().atMost(30, TimeUnit.SECONDS).until(() -> acknowledged(streams) >= acknowledgedWhileDown + 50);
    broker.start();
    for (SampleStream stream : streams) {
      stream.awaitAllAcknowledged(120);
    }
    try {
      trans.awaitLog("trans's spool is drained", 120);
    } finally {
      List<String> lines = trans.log().lines().filter(line -> !line.contains("DEBUG")).toList();
      System.out.println("trans's log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
    }
    awaitEachOnceInItsShard(hosts, 6_000, List.of(saver));
  }

  private NbnetProcess start(String name, JsonObject config, String server) throws Exception {
    NbnetProcess process = NbnetProcess.startOnAnyPort(folder, name, config, server);
    processes.add(process);
    return process;
  }

  /** Eight hosts named PREFIX-..., checked to fall on both shards. */
  private static List<String> hosts(String prefix) {
    List<String> hosts = new ArrayList<>();
    for (String name : List.of("web-1", "web-2", "db-1", "db-2", "cache-1", "cache-2", "edge-1", "edge-2")) {
      hosts.add(prefix + "-" + name);
    }
    assertTrue(hosts.stream().anyMatch(host -> partition(host) < 2) && hosts.stream().anyMatch(host -> partition(host) >= 2),
      "the hosts cover both shards");
    return hosts;
  }

  /** One stream per host of {@code frames} frames of 10 samples, a frame every 20 ms, through {@code port}. */
  private static List<SampleStream> stream(List<String> hosts, int port, int frames) {
    List<SampleStream> streams = new ArrayList<>();
    for (String host : hosts) {
      SampleStream stream = new SampleStream(vertx, host, frames, 10);
      stream.start(port, 20);
      streams.add(stream);
    }
    return streams;
  }

  private static long acknowledged(List<SampleStream> streams) throws Exception {
    long sum = 0;
    for (SampleStream stream : streams) {
      sum += stream.acknowledged();
    }
    return sum;
  }

  private static long stored(String prefix) {
    return shardA.count(countSql(prefix)) + shardB.count(countSql(prefix));
  }

  /** Waits until every host's samples are stored, then checks each is there once, in its host's shard only. */
  private static void awaitEachOnceInItsShard(List<String> hosts, long perHost, List<NbnetProcess> savers) throws Exception {
    String prefix = hosts.get(0).substring(0, hosts.get(0).indexOf('-'));
    long expected = hosts.size() * perHost;
    try {
      await().atMost(120, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).until(() -> stored(prefix) >= expected);
    } finally {
      System.out.printf("stored %d in shard a, %d in shard b of %d sent%n", shardA.count(countSql(prefix)), shardB.count(countSql(prefix)), expected);
      for (NbnetProcess saver : savers) {
        System.out.println(saver.log().lines().filter(line -> line.contains("Kafka partitions")).map(line -> saver.name() + ": " + line)
          .collect(Collectors.joining("\n")));
      }
    }
    for (String host : hosts) {
      TestDatabase own = partition(host) < 2 ? shardA : shardB;
      TestDatabase other = own == shardA ? shardB : shardA;
      Row counts = own.query("SELECT COUNT(*), COUNT(DISTINCT metric, ts) FROM samples_all WHERE host = ?", host).get(0);
      assertEquals(perHost, counts.getLong(1), host + ": samples missing");
      assertEquals(perHost, counts.getLong(0), host + ": samples duplicated");
      assertEquals(0, other.count("SELECT COUNT(*) FROM samples_all WHERE host = ?", host), host + " is in the other shard");
    }
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

  private static String countSql(String prefix) {
    return "SELECT COUNT(*) FROM samples_all WHERE host LIKE '" + prefix + "-%'";
  }

  /** Kafka's default partitioner: murmur2 of the key (the host). */
  private static int partition(String host) {
    return Utils.toPositive(Utils.murmur2(host.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  /** A saver in Kafka mode: partitions 0-1 in shard a (its own database), 2-3 in shard b at {@code shardBMysql}. */
  private static JsonObject saverConfig(String topic, JsonObject shardBMysql) {
    JsonObject kafka = new JsonObject().put("bootstrap", broker.bootstrap()).put("topic", topic).put("group", "savers-" + topic)
      .put("retryMs", 200).put("sessionTimeoutMs", 6_000)
      .put("shards", new JsonArray()
        .add(new JsonObject().put("name", "a").put("partitions", new JsonArray().add("0-1")).put("mysql", shardA.mysqlConfig()))
        .add(new JsonObject().put("name", "b").put("partitions", new JsonArray().add("2-3")).put("mysql", shardBMysql)));
    return new JsonObject().put("components", new JsonArray().add("saver"))
      .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", shardA.mysqlConfig()).put("kafka", kafka)
        .put("http", new JsonObject().put("port", 0)));
  }

  /** Trans in Kafka mode, with a spool in {@code spool} when not null. */
  private static JsonObject transConfig(String topic, Path spool) {
    JsonObject trans = new JsonObject().put("host", "127.0.0.1").put("port", 0)
      .put("kafka", new JsonObject().put("bootstrap", broker.bootstrap()).put("topic", topic).put("timeoutMs", 3_000));
    if (spool != null) {
      trans.put("spool", new JsonObject().put("dir", spool.toString()).put("fsync", "never"));
    }
    return new JsonObject().put("components", new JsonArray().add("trans")).put("trans", trans)
      .put("logging", new JsonObject().put("levels", new JsonObject().put("io.nbnet.trans", "FINE")));
  }
}
