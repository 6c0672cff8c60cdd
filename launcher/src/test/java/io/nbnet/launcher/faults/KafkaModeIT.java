package io.nbnet.launcher.faults;

import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.store.testing.TcpProxy;
import io.nbnet.wire.FrameClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.nbnet.launcher.faults.KafkaShards.acknowledged;
import static io.nbnet.launcher.faults.KafkaShards.countSql;
import static io.nbnet.launcher.faults.KafkaShards.held;
import static io.nbnet.launcher.faults.KafkaShards.hosts;
import static io.nbnet.launcher.faults.KafkaShards.partition;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka mode end to end with real processes: a KRaft broker, trans publishing by host, savers in one
 * consumer group, two shards on two MariaDB servers (see {@link KafkaShards}).
 */
class KafkaModeIT {

  @TempDir
  static Path folder;
  private static KafkaShards kafka;

  @BeforeAll
  static void start() {
    kafka = KafkaShards.start(folder);
  }

  @AfterAll
  static void stop() throws Exception {
    kafka.close();
  }

  @AfterEach
  void stopProcesses() throws Exception {
    kafka.killProcesses();
  }

  @Test
  @DisplayName("a frame of several hosts (a relay's, a push gateway's) is split by host: each host's samples land in its own shard")
  void multiHostFrameSplit() throws Exception {
    String topic = "frames-split";
    kafka.start("saver-split", kafka.saverConfig(topic), "saver");
    NbnetProcess trans = kafka.start("trans-split", kafka.transConfig(topic, null), "trans");
    List<String> hosts = hosts("m");
    List<Sample> samples = new ArrayList<>();
    for (String host : hosts) {
      samples.add(Sample.numeric(host, 1_700_000_000_000L, "cpu.user", "", 1));
      samples.add(Sample.numeric(host, 1_700_000_000_000L, "cpu.idle", "", 99));
    }
    Buffer reply = FrameClient.connect(kafka.vertx, kafka.vertx.createNetClient(), "127.0.0.1", trans.port(), 1 << 20, 30_000)
      .compose(client -> client.send(NativeFormat.encode("relay", 1, samples)))
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals("OK", reply.toString(), "acknowledged once every host's part is in Kafka");
    Map<String, Long> twoEach = new LinkedHashMap<>();
    hosts.forEach(host -> twoEach.put(host, 2L));
    kafka.awaitEachOnceInItsShard(twoEach, List.of());
  }

  @Test
  @DisplayName("a frame its shard refuses for good goes to the dead-letter topic with the reason; the frames behind it are stored")
  void refusedFrameIsDeadLettered() throws Exception {
    String topic = "frames-refused";
    JsonObject saverConfig = kafka.saverConfig(topic);
    saverConfig.getJsonObject("saver").put("limits", new JsonObject().put("maxSeriesPerHost", 5));
    kafka.start("saver-refused", saverConfig, "saver");
    NbnetProcess trans = kafka.start("trans-refused", kafka.transConfig(topic, null), "trans");
    String host = "d-web-1";
    List<Sample> greedy = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      greedy.add(Sample.numeric(host, 1_700_000_000_000L, "app.name_" + i, "", i));
    }
    FrameClient client = FrameClient.connect(kafka.vertx, kafka.vertx.createNetClient(), "127.0.0.1", trans.port(), 1 << 20, 30_000)
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    for (List<Sample> frame : List.of(greedy, List.of(Sample.numeric(host, 1_700_000_000_000L, "cpu.user", "", 7)))) {
      assertEquals("OK", client.send(NativeFormat.encode("s", 1, frame)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS)
        .toString());
    }
    kafka.awaitEachOnceInItsShard(Map.of(host, 1L), List.of());

    KafkaConsumer<String, Buffer> letters = KafkaConsumer.create(kafka.vertx, Map.of("bootstrap.servers", kafka.broker.bootstrap(),
      "group.id", "dead-letter-reader", "auto.offset.reset", "earliest",
      "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
      "value.deserializer", "io.vertx.kafka.client.serialization.BufferDeserializer"));
    try {
      letters.subscribe(topic + "-dead-letters").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      List<KafkaConsumerRecord<String, Buffer>> read = new ArrayList<>();
      await().atMost(60, TimeUnit.SECONDS).until(() -> {
        KafkaConsumerRecords<String, Buffer> polled = letters.poll(Duration.ofMillis(500)).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
        for (int i = 0; i < polled.size(); i++) {
          read.add(polled.recordAt(i));
        }
        return !read.isEmpty();
      });
      assertEquals(1, read.size());
      assertEquals(host, read.get(0).key());
      assertTrue(read.get(0).value().toString().contains("app.name_9"), "the frame as it was published");
      String reason = read.get(0).headers().stream().filter(header -> header.key().equals("nbnet-reason")).findFirst().orElseThrow()
        .value().toString();
      assertTrue(reason.startsWith("refused: host d-web-1 has 0 series and this would add 10: past saver.limits.maxSeriesPerHost (5)"), reason);
    } finally {
      letters.close();
    }
  }

  @Test
  @DisplayName("a shard's MariaDB unreachable: the other shard's hosts keep flowing, the lag shows on /metrics, the stopped shard catches up, each sample once")
  void shardOutage() throws Exception {
    String topic = "frames-outage";
    TcpProxy proxy = new TcpProxy(kafka.vertx, 0, kafka.secondServer().address().host(), kafka.secondServer().address().port());
    proxy.open();
    NbnetProcess saver = kafka.start("saver-outage", kafka.saverConfig(topic, kafka.shardB.mysqlConfig().copy().put("port", proxy.port()).put("responseTimeoutMs", 3_000))
      .put("monitor", new JsonObject().put("host", "127.0.0.1").put("port", 0)), "saver");
    NbnetProcess trans = kafka.start("trans-outage", kafka.transConfig(topic, null), "trans");
    List<String> hosts = hosts("o");
    List<SampleStream> streams = kafka.stream(hosts, trans.port());
    await().atMost(60, TimeUnit.SECONDS).until(() -> kafka.shardB.count(countSql("o")) >= 500);
    proxy.block();
    saver.awaitLog("MySQL writes are failing", 60);
    long stuckInB = kafka.shardB.count(countSql("o"));
    long flowingInA = kafka.shardA.count(countSql("o"));
    // shard a carries on while b is away, and b's partitions wait in Kafka (lag on /metrics)
    await().atMost(60, TimeUnit.SECONDS).until(() -> kafka.shardA.count(countSql("o")) >= flowingInA + 500);
    await().atMost(30, TimeUnit.SECONDS).until(() -> saver.metric("nbnet_kafka_consumer_lag") > 0);
    assertEquals(stuckInB, kafka.shardB.count(countSql("o")), "nothing reached the unreachable shard");
    System.out.printf("while shard b was away: shard a went from %d to %d samples, lag %.0f frames%n",
      flowingInA, kafka.shardA.count(countSql("o")), saver.metric("nbnet_kafka_consumer_lag"));
    proxy.open();
    kafka.finishAndCheck(streams, 25, List.of(saver));
  }

  @Test
  @DisplayName("the broker restarted mid-stream: trans spools what it cannot publish, then delivers; each sample once")
  void brokerRestart() throws Exception {
    String topic = "frames-restart";
    NbnetProcess saver = kafka.start("saver-restart", kafka.saverConfig(topic), "saver");
    NbnetProcess trans = kafka.start("trans-restart", kafka.transConfig(topic, folder.resolve("trans-spool")), "trans");
    List<String> hosts = hosts("r");
    List<SampleStream> streams = kafka.stream(hosts, trans.port());
    await().atMost(60, TimeUnit.SECONDS).until(() -> kafka.stored("r") >= 500);
    kafka.broker.stop();
    // with the broker away, an OK can only mean "spooled by trans" (after the producer's 3 s timeout)
    long acknowledgedWhileDown = acknowledged(streams);
    await().atMost(30, TimeUnit.SECONDS).until(() -> acknowledged(streams) >= acknowledgedWhileDown + 50);
    kafka.broker.start();
    try {
      kafka.finishAndCheck(streams, 25, List.of(saver));
      trans.awaitLog("trans's spool is drained", 120);
    } finally {
      List<String> lines = trans.log().lines().filter(line -> !line.contains("DEBUG")).toList();
      System.out.println("trans's log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
    }
  }

  @Test
  @DisplayName("kill -9 of a saver mid-stream: its partitions move to the other, every sample is stored exactly once, in its host's shard")
  void saverKilledMidStream() throws Exception {
    String topic = "frames-kill";
    NbnetProcess saver1 = kafka.start("saver-1", kafka.saverConfig(topic), "saver");
    NbnetProcess saver2 = kafka.start("saver-2", kafka.saverConfig(topic), "saver");
    NbnetProcess trans = kafka.start("trans", kafka.transConfig(topic, null), "trans");
    List<String> hosts = hosts("k");
    List<SampleStream> streams = kafka.stream(hosts, trans.port());
    await().atMost(60, TimeUnit.SECONDS).until(() -> kafka.stored("k") >= 1_000);
    // the victim is a saver that holds partitions now; the survivor must end up with all of them
    NbnetProcess victim = held(saver1).isEmpty() ? saver2 : saver1;
    NbnetProcess survivor = victim == saver1 ? saver2 : saver1;
    Set<Integer> victimHeld = held(victim);
    assertTrue(!victimHeld.isEmpty(), "a saver holds partitions mid-stream");
    victim.kill9();
    long storedAtKill = kafka.stored("k");
    // every frame reaches Kafka; the surviving saver takes the dead one's partitions after the session timeout
    long sent = kafka.finishAndCheck(streams, 25, List.of(saver1, saver2));
    assertTrue(storedAtKill < sent, "the kill hit mid-stream: " + storedAtKill + " of " + sent + " stored");
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

  @Test
  @DisplayName("a saver joining mid-stream takes partitions from the running one (cooperative rebalancing); every sample once, in its shard")
  void saverJoinsMidStream() throws Exception {
    String topic = "frames-join";
    NbnetProcess saver1 = kafka.start("saver-join-1", kafka.saverConfig(topic), "saver");
    NbnetProcess trans = kafka.start("trans-join", kafka.transConfig(topic, null), "trans");
    List<String> hosts = hosts("j");
    List<SampleStream> streams = kafka.stream(hosts, trans.port());
    await().atMost(60, TimeUnit.SECONDS).until(() -> kafka.stored("j") >= 2_000);
    NbnetProcess saver2 = kafka.start("saver-join-2", kafka.saverConfig(topic), "saver");
    await().atMost(60, TimeUnit.SECONDS).until(() -> !held(saver2).isEmpty());
    long storedAtJoin = kafka.stored("j");
    long sent = kafka.finishAndCheck(streams, 25, List.of(saver1, saver2));
    assertTrue(storedAtJoin < sent, "the join happened mid-stream: " + storedAtJoin + " of " + sent + " stored");
    Set<Integer> first = held(saver1);
    Set<Integer> second = held(saver2);
    System.out.println("after the join: " + first + " and " + second);
    Set<Integer> all = new TreeSet<>(first);
    all.addAll(second);
    assertEquals(Set.of(0, 1, 2, 3), all, "every partition has an owner");
    assertEquals(first.size() + second.size(), all.size(), "no partition has two");
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
}
