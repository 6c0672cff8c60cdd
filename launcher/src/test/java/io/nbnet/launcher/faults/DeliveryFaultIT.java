package io.nbnet.launcher.faults;

import io.nbnet.buffer.DiskSpool;
import io.nbnet.buffer.SpoolConfig;
import io.nbnet.buffer.SpoolInspector;
import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeBatch;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.mariadb.MariaDbAddress;
import io.nbnet.mariadb.TestMariaDb;
import io.nbnet.store.testing.TcpProxy;
import io.nbnet.store.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing lost: real processes from the shaded jar, killed and restarted mid-stream, on loopback.
 * Each test says what it sent and what it found, and fails on a missing or duplicated sample.
 */
class DeliveryFaultIT {

  private static Vertx vertx;
  private static TestDatabase database;
  private final List<NbnetProcess> processes = new ArrayList<>();

  @TempDir
  Path folder;

  @BeforeAll
  static void createDatabase() {
    vertx = Vertx.vertx();
    database = new TestDatabase(vertx);
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    database.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopProcesses() throws Exception {
    for (NbnetProcess process : processes) {
      process.kill9();
    }
  }

  @Test
  @DisplayName("kill -9 the saver mid-stream and restart it: every sample sent is in MySQL exactly once")
  void saverKilled() throws Exception {
    NbnetProcess saver = NbnetProcess.startOnAnyPort(folder, "saver", saverConfig(0, database.mysqlConfig()), "saver");
    processes.add(saver);
    streamThroughARestart("fault-saver-killed", saver.port(), saver);
  }

  @Test
  @DisplayName("kill -9 trans mid-stream and restart it: every sample sent is in MySQL exactly once")
  void transKilled() throws Exception {
    NbnetProcess saver = NbnetProcess.startOnAnyPort(folder, "saver", saverConfig(0, database.mysqlConfig()), "saver");
    processes.add(saver);
    NbnetProcess trans = NbnetProcess.startOnAnyPort(folder, "trans", transConfig(0, saver.port()), "trans");
    processes.add(trans);
    streamThroughARestart("fault-trans-killed", trans.port(), trans);
  }

  /**
   * Streams up to 300 frames of 10 samples to {@code port}, kills {@code victim} with -9 once 30 are
   * acknowledged, restarts it, and ends 20 frames later.
   */
  private void streamThroughARestart(String host, int port, NbnetProcess victim) throws Exception {
    SampleStream stream = streamUntilAcknowledged(port, host, 300, 10, 30);
    victim.kill9();
    long acknowledgedAtKill = stream.acknowledged();
    processes.add(victim.restart());
    stream.finishAfter(20);
    stream.awaitAllAcknowledged(90);
    assertTrue(acknowledgedAtKill > 0 && acknowledgedAtKill < 300, "the kill hit mid-stream: " + acknowledgedAtKill + " frames acknowledged");
    assertExactlyOnce(host, stream.samples());
  }

  @Test
  @DisplayName("MariaDB unreachable mid-stream until the saver has turned the sender away five times, then back: every sample in MySQL exactly once")
  void databaseOutage() throws Exception {
    TcpProxy proxy = relayToMariaDb();
    NbnetProcess saver = saverThrough(proxy, new JsonObject());
    SampleStream stream = streamUntilAcknowledged(saver.port(), "fault-database-outage", 600, 25, 60);
    proxy.block();
    long acknowledgedAtOutage = stream.acknowledged();
    // the outage lasts until the saver has turned the stream away five times (each refusal is held back 1 s)
    saver.awaitLog("MySQL writes are failing", 60);
    long retriesBefore = stream.retries();
    await().atMost(60, TimeUnit.SECONDS).until(() -> stream.retries() - retriesBefore >= 5);
    long acknowledgedDuringOutage = stream.acknowledged() - acknowledgedAtOutage;
    proxy.open();
    stream.finishAfter(20);
    stream.awaitAllAcknowledged(120);
    assertTrue(acknowledgedAtOutage > 0 && acknowledgedAtOutage < 600, "the outage hit mid-stream: " + acknowledgedAtOutage);
    assertTrue(acknowledgedDuringOutage <= 16, "the saver stopped acknowledging while MySQL was away: " + acknowledgedDuringOutage);
    saver.awaitLog("MySQL answers again", 30);
    assertExactlyOnce("fault-database-outage", stream.samples());
  }

  @Test
  @DisplayName("MariaDB stops answering mid-stream (packets dropped, nothing closed): the saver's writes time out instead of hanging, then every sample is stored once")
  void databaseStopsAnswering() throws Exception {
    TcpProxy proxy = relayToMariaDb();
    NbnetProcess saver = saverThrough(proxy, new JsonObject().put("responseTimeoutMs", 3_000));
    SampleStream stream = streamUntilAcknowledged(saver.port(), "fault-database-silent", 600, 25, 40);
    proxy.stall();
    long stalledNanos = System.nanoTime();
    // without a response timeout the statements in flight wait for ever and the saver never notices
    saver.awaitLog("MySQL writes are failing", 30);
    long noticedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalledNanos);
    proxy.block();
    proxy.open();
    stream.finishAfter(20);
    stream.awaitAllAcknowledged(120);
    saver.awaitLog("MySQL answers again", 30);
    System.out.printf("writes failed %d ms after MariaDB stopped answering (responseTimeoutMs 3000)%n", noticedMillis);
    assertTrue(noticedMillis >= 2_000, "the saver gave up on a silent connection before responseTimeoutMs: " + noticedMillis + " ms");
    assertExactlyOnce("fault-database-silent", stream.samples());
  }

  @Test
  @DisplayName("kill -9 the collector while its spool holds data, restart it: the spool is replayed into MySQL")
  void collectorKilledWithSpool() throws Exception {
    // the saver's port is taken now (closed for the collector), and given to the saver when it starts
    NbnetProcess saver = NbnetProcess.startOnAnyPort(folder, "saver", saverConfig(0, database.mysqlConfig()), "saver");
    int saverPort = saver.port();
    saver.kill9();
    Path spool = folder.resolve("collector-spool");
    JsonObject collector = collectorConfig("fault-collector", saverPort, new JsonObject().put("dir", spool.toString()).put("fsync", "never"));
    processes.add(NbnetProcess.start(folder, "collector", collector, 0));
    processes.get(0).awaitLog("newer ones go to the spool", 60);
    await().atMost(60, TimeUnit.SECONDS).until(() -> SpoolInspector.inspect(spool, 0).waiting() >= 5);
    processes.get(0).kill9();

    Set<String> spooled = spooledSamples(spool);
    assertTrue(spooled.size() > 0, "the spool held samples when the collector was killed");
    processes.add(saver.restart());
    processes.add(NbnetProcess.start(folder, "collector-restarted", collector, 0));

    Set<String> missing = new HashSet<>(spooled);
    await().atMost(90, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).until(() -> {
      missing.removeAll(storedSamples("fault-collector"));
      return missing.isEmpty();
    });
    System.out.printf("collector killed with %d samples spooled; after the restart %d of them are missing%n", spooled.size(), missing.size());
    assertEquals(Set.of(), missing.stream().limit(5).collect(java.util.stream.Collectors.toSet()), "spooled samples not in MySQL");
    assertNoDuplicates("fault-collector");
  }

  @Test
  @DisplayName("SIGTERM: the frames a collector holds in memory are written to its spool before it exits")
  void sigtermSpoolsMemory() throws Exception {
    Path spool = folder.resolve("sigterm-spool");
    // port 1: nothing listens there, so the frames wait in the collector's memory
    JsonObject collector = collectorConfig("fault-sigterm", 1, new JsonObject().put("dir", spool.toString()))
      .put("monitor", new JsonObject().put("host", "127.0.0.1").put("port", 0));
    collector.getJsonObject("collector").getJsonObject("shipping").put("maxQueuedFrames", 10_000);
    NbnetProcess process = NbnetProcess.start(folder, "collector", collector, 0);
    processes.add(process);
    await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> process.metric("nbnet_collector_samples_total") >= 5 * 60);
    int exit = process.terminate();
    Set<String> spooled = spooledSamples(spool);
    System.out.printf("collector stopped by SIGTERM (exit %d) with %d samples written to its spool%n", exit, spooled.size());
    assertTrue(spooled.size() >= 5 * 60, "at least the five first samplings are kept: " + spooled.size());
  }

  @Test
  @DisplayName("a spool over its limit drops its oldest frames and reports how many")
  void spoolOverItsLimit() throws Exception {
    Path spool = folder.resolve("small-spool");
    JsonObject collector = collectorConfig("fault-spool-full", 1,
      new JsonObject().put("dir", spool.toString()).put("maxBytes", 64 * 1024).put("fsync", "never"));
    NbnetProcess process = NbnetProcess.start(folder, "collector", collector, 0);
    processes.add(process);
    process.awaitLog("dropped its oldest", 60);
    long bytes;
    try (Stream<Path> files = Files.list(spool)) {
      bytes = files.filter(file -> file.toString().endsWith(".seg")).mapToLong(file -> file.toFile().length()).sum();
    }
    assertTrue(bytes <= 64 * 1024, "the spool stays within its limit: " + bytes + " bytes");
    String line = process.log().lines().filter(l -> l.contains("dropped its oldest")).findFirst().orElseThrow();
    System.out.println("the collector reported: " + line);
    assertTrue(line.matches(".*dropped its oldest \\d+ frames, \\d+ dropped so far.*"), line);
  }

  private void assertExactlyOnce(String host, int sent) {
    Row counts = database.query("SELECT COUNT(*), COUNT(DISTINCT metric, ts) FROM samples_all WHERE host = ?", host).get(0);
    long found = counts.getLong(0);
    long distinct = counts.getLong(1);
    System.out.printf("%s: sent %d samples, found %d rows, %d distinct%n", host, sent, found, distinct);
    assertEquals(sent, distinct, "samples missing");
    assertEquals(sent, found, "samples duplicated");
  }

  private void assertNoDuplicates(String host) {
    Row counts = database.query("SELECT COUNT(*), COUNT(DISTINCT metric, tags, ts) FROM samples_all WHERE host = ?", host).get(0);
    assertEquals(counts.getLong(1), counts.getLong(0), "duplicated samples");
  }

  /** Up to {@code frames} frames of 10 samples, one every {@code everyMillis}, to {@code port}; returns once {@code acknowledged} are. */
  private static SampleStream streamUntilAcknowledged(int port, String host, int frames, long everyMillis, int acknowledged) throws Exception {
    SampleStream stream = new SampleStream(vertx, host, frames, 10);
    stream.start(port, everyMillis);
    await().atMost(60, TimeUnit.SECONDS).until(() -> stream.acknowledged() >= acknowledged);
    return stream;
  }

  private Set<String> storedSamples(String host) {
    Set<String> stored = new HashSet<>();
    for (Row row : database.query("SELECT metric, tags, ts FROM samples_all WHERE host = ?", host)) {
      stored.add(row.getString(0) + "|" + row.getString(1) + "|" + row.getLong(2));
    }
    return stored;
  }

  private static Set<String> spooledSamples(Path folder) throws Exception {
    Set<String> samples = new HashSet<>();
    try (DiskSpool spool = DiskSpool.open(new SpoolConfig(folder, 1L << 30, 1L << 24, SpoolConfig.Fsync.NEVER, 1000,
      SpoolConfig.WhenFull.DROP_OLDEST, 1L << 20))) {
      for (byte[] frame : spool.read(Integer.MAX_VALUE)) {
        NativeBatch batch = NativeFormat.decode(Buffer.buffer(frame));
        for (Sample sample : batch.samples()) {
          samples.add(sample.metric() + "|" + sample.tags() + "|" + sample.timestampMillis());
        }
      }
    }
    return samples;
  }

  private static TcpProxy relayToMariaDb() throws Exception {
    MariaDbAddress mariadb = TestMariaDb.address();
    TcpProxy proxy = new TcpProxy(vertx, 0, mariadb.host(), mariadb.port());
    proxy.open();
    return proxy;
  }

  /** A saver reaching the test's database through {@code proxy}, with {@code mysql} added to its mysql section. */
  private NbnetProcess saverThrough(TcpProxy proxy, JsonObject mysql) throws Exception {
    JsonObject section = database.mysqlConfig().copy().put("port", proxy.port()).mergeIn(mysql);
    NbnetProcess saver = NbnetProcess.startOnAnyPort(folder, "saver", saverConfig(0, section), "saver");
    processes.add(saver);
    return saver;
  }

  private static JsonObject saverConfig(int port, JsonObject mysql) {
    return new JsonObject().put("components", new JsonArray().add("saver"))
      .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", port).put("mysql", mysql)
        .put("http", new JsonObject().put("port", 0)));
  }

  private static JsonObject transConfig(int port, int saverPort) {
    return new JsonObject().put("components", new JsonArray().add("trans"))
      .put("trans", new JsonObject().put("host", "127.0.0.1").put("port", port).put("saverDownMs", 200)
        .put("savers", new JsonArray().add("127.0.0.1:" + saverPort)));
  }

  private static JsonObject collectorConfig(String host, int saverPort, JsonObject spool) {
    return new JsonObject().put("components", new JsonArray().add("collector"))
      .put("collector", new JsonObject().put("host", host).put("intervalMs", 100)
        .put("trans", new JsonObject().put("enabled", false))
        .put("saver", new JsonObject().put("address", "127.0.0.1:" + saverPort))
        .put("shipping", new JsonObject().put("maxQueuedFrames", 5).put("initialBackoffMs", 100).put("maxBackoffMs", 500))
        .put("spool", spool));
  }
}
