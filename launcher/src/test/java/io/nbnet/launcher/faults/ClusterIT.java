package io.nbnet.launcher.faults;

import io.nbnet.launcher.NbnetConfig;
import io.nbnet.launcher.certs.CertificateMaker;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.wire.EventBusLink;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Row;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster mode: two savers in their own JVMs (the shaded jar, -cluster) and a collector's shipping
 * in this JVM, joined by Hazelcast on loopback; frames go by event-bus address. One saver is killed
 * mid-stream; nothing is lost or stored twice.
 */
class ClusterIT {

  private static final String EVENT_BUS_FRAMES = "nbnet_saver_eventbus_frames_total";

  private final List<NbnetProcess> processes = new ArrayList<>();
  private Vertx vertx;
  private TestDatabase database;

  @TempDir
  Path folder;
  private int attempt;

  @AfterEach
  void stop() throws Exception {
    for (NbnetProcess process : processes) {
      process.kill9();
    }
    processes.clear();
    if (database != null) {
      database.close();
      database = null;
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      vertx = null;
    }
  }

  /**
   * With {@code -Dnbnet.it.clusterTls=true} the event bus runs over mutual TLS ({@code cluster.tls}).
   * In full suite runs the spread check sometimes timed out: a scrape of a saver's /metrics by the
   * JDK HTTP client hung in its h2c upgrade (seen in a thread dump), so Awaitility's condition never
   * returned. Scrapes now speak HTTP/1.1; until that has held for a while, a timed-out spread prints the
   * counts and runs the scenario once more on a fresh cluster.
   */
  @Test
  @DisplayName("a collector and two savers joined on loopback: frames spread over both; one killed mid-stream, nothing lost or doubled")
  void spreadsAndSurvivesASaver() throws Exception {
    boolean tls = Boolean.getBoolean("nbnet.it.clusterTls");
    if (!scenario(tls)) {
      stop();
      System.out.println("ClusterIT: frames did not spread over both savers within a minute; running the scenario again on a fresh cluster");
      assertTrue(scenario(tls), "frames did not spread over both savers in two attempts");
    }
  }

  /** False when frames did not reach both savers within a minute; the rest is asserted. */
  private boolean scenario(boolean tls) throws Exception {
    attempt++;
    Path clusterXml = clusterConfig();
    System.setProperty("vertx.hazelcast.config", clusterXml.toString());
    ClusterManager cluster = new HazelcastClusterManager();
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1");
    JsonObject clusterSection = new JsonObject();
    if (tls) {
      CertificateMaker authority = CertificateMaker.newAuthority(folder, "ca", "cluster CA");
      CertificateMaker.Issued member = authority.node("member", List.of("localhost", "127.0.0.1"));
      clusterSection.put("tls", new JsonObject().put("certificate", member.certificate().toString()).put("key", member.key().toString())
        .put("ca", authority.caFile().toString()));
      NbnetConfig.parse(new JsonObject().put("components", new JsonArray().add("saver")).put("cluster", clusterSection))
        .clusterTls().orElseThrow().applyTo(options.getEventBusOptions());
    }
    vertx = Vertx.builder().with(options).withClusterManager(cluster).buildClustered()
      .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    database = new TestDatabase(vertx);

    for (int i = 0; i < 2; i++) {
      JsonObject config = new JsonObject().put("components", new JsonArray().add("saver")).put("cluster", clusterSection)
        .put("monitor", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", 0)
          .put("eventBus", new JsonObject().put("enabled", true)).put("mysql", database.mysqlConfig())
          .put("http", new JsonObject().put("port", 0)));
      NbnetProcess saver = NbnetProcess.start(folder, "attempt" + attempt + "-saver-" + i, config, 0,
        List.of("-Dvertx.hazelcast.config=" + clusterXml, "-Djava.net.preferIPv4Stack=true"),
        List.of("-cluster", "-cluster-host", "127.0.0.1"));
      processes.add(saver);
    }
    for (NbnetProcess saver : processes) {
      saver.awaitLog("saver takes frames on event-bus address nbnet.saver", 120);
      assertEquals(tls, saver.log().contains("the event bus between cluster members speaks TLS"), saver.log());
    }
    await("the collector and both savers form one cluster").atMost(60, TimeUnit.SECONDS).until(() -> cluster.getNodes().size() == 3);

    SampleStream stream = new SampleStream(vertx, "cluster-host", 400, 10);
    stream.start(EventBusLink.connector(vertx, "nbnet.saver", 3_000), 20);
    // frames spread over both savers before one is killed
    try {
      await().atMost(60, TimeUnit.SECONDS).until(() -> eventBusFrames(processes.get(0)) >= 20 && eventBusFrames(processes.get(1)) >= 20);
    } catch (ConditionTimeoutException e) {
      System.out.printf("frames by saver when the wait ended: %.0f and %.0f; %d of 400 acknowledged%n", eventBusFrames(processes.get(0)),
        eventBusFrames(processes.get(1)), stream.acknowledged());
      printSaverLogs();
      return false;
    }
    double firstBeforeKill = eventBusFrames(processes.get(0));
    double secondBeforeKill = eventBusFrames(processes.get(1));
    processes.get(1).kill9();
    long acknowledgedAtKill = stream.acknowledged();
    stream.finishAfter(25);
    try {
      stream.awaitAllAcknowledged(120);
    } catch (AssertionError e) {
      printSaverLogs();
      throw e;
    }

    System.out.printf("frames by saver before the kill: %.0f and %.0f; %d of 400 acknowledged when saver-1 was killed%n",
      firstBeforeKill, secondBeforeKill, acknowledgedAtKill);
    assertTrue(firstBeforeKill > 0 && secondBeforeKill > 0, "frames went to both savers");
    assertTrue(acknowledgedAtKill < 400, "the kill hit mid-stream");
    Row counts = database.query("SELECT COUNT(*), COUNT(DISTINCT metric, ts) FROM samples_all WHERE host = 'cluster-host'").get(0);
    System.out.printf("cluster: sent %d samples, found %d rows, %d distinct%n", stream.samples(), counts.getLong(0), counts.getLong(1));
    assertEquals(stream.samples(), counts.getLong(1), "samples missing");
    assertEquals(stream.samples(), counts.getLong(0), "samples duplicated");
    return true;
  }

  private void printSaverLogs() throws IOException {
    for (NbnetProcess saver : processes) {
      System.out.println(saver.log().lines().filter(line -> !line.contains("com.hazelcast")).reduce("", (a, b) -> a + "\n" + b));
    }
  }

  /** conf/cluster.xml with its Hazelcast ports moved to a free range of this machine. */
  private Path clusterConfig() throws IOException {
    int base = StablePorts.freeRange(10);
    String xml = Files.readString(Path.of("../conf/cluster.xml"))
      .replace("port-count=\"20\">5701<", "port-count=\"10\">" + base + "<")
      .replace("<cluster-name>nbnet</cluster-name>", "<cluster-name>nbnet-test-" + base + "</cluster-name>");
    Path file = folder.resolve("cluster-" + attempt + ".xml");
    Files.writeString(file, xml);
    return file;
  }

  private static double eventBusFrames(NbnetProcess saver) throws Exception {
    return saver.metric(EVENT_BUS_FRAMES);
  }
}
