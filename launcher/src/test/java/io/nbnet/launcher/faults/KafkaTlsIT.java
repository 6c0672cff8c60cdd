package io.nbnet.launcher.faults;

import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.kafka.KafkaBroker;
import io.nbnet.launcher.certs.CertificateMaker;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.wire.FrameClient;
import io.nbnet.wire.Replies;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Kafka mode over TLS with client certificates: trans and saver reach a broker that requires them. */
class KafkaTlsIT {

  @TempDir
  static Path folder;
  private static Vertx vertx;
  private static CertificateMaker authority;
  private static KafkaBroker broker;
  private static TestDatabase database;
  private final List<NbnetProcess> processes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    authority = CertificateMaker.newAuthority(folder.resolve("certs"), "ca", "nbnet Kafka test CA");
    // the broker reaches itself over its TLS port too: a certificate for both ends
    CertificateMaker.Issued brokerCertificate = authority.node("broker", List.of("127.0.0.1", "localhost"));
    Path keystore = folder.resolve("broker-keystore.pem");
    Files.writeString(keystore, Files.readString(brokerCertificate.key()) + Files.readString(brokerCertificate.certificate()));
    broker = KafkaBroker.start(folder.resolve("kafka"), 2, new KafkaBroker.Tls(keystore, authority.caFile()));
    database = new TestDatabase(vertx);
    database.pool();
  }

  @AfterAll
  static void stop() throws Exception {
    database.close();
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
  @DisplayName("trans and saver with client certificates store every sample; a trans without one gets no OK")
  void tlsToTheBroker() throws Exception {
    CertificateMaker.Issued transCertificate = authority.client("client-trans", "trans");
    CertificateMaker.Issued saverCertificate = authority.client("client-saver", "saver");
    JsonObject saverKafka = new JsonObject().put("bootstrap", broker.bootstrap()).put("topic", "frames-tls")
      .put("tls", tls(saverCertificate))
      .put("shards", new JsonArray().add(new JsonObject().put("name", "a").put("partitions", new JsonArray().add("0-1"))
        .put("mysql", database.mysqlConfig())));
    processes.add(NbnetProcess.startOnAnyPort(folder, "saver", new JsonObject().put("components", new JsonArray().add("saver"))
      .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig())
        .put("http", new JsonObject().put("port", 0)).put("kafka", saverKafka)), "saver"));
    NbnetProcess trans = NbnetProcess.startOnAnyPort(folder, "trans", transConfig(tls(transCertificate)), "trans");
    processes.add(trans);

    SampleStream stream = new SampleStream(vertx, "kafka-tls-host", 50, 10);
    stream.start(trans.port(), 10);
    stream.awaitAllAcknowledged(60);
    await().atMost(60, TimeUnit.SECONDS).until(() -> database.count("SELECT COUNT(*) FROM samples_all WHERE host = 'kafka-tls-host'") >= 500);
    Row counts = database.query("SELECT COUNT(*), COUNT(DISTINCT metric, ts) FROM samples_all WHERE host = 'kafka-tls-host'").get(0);
    assertEquals(500, counts.getLong(0));
    assertEquals(500, counts.getLong(1));

    // the broker requires a client certificate: a trans trusting it but without one cannot publish
    NbnetProcess anonymous = NbnetProcess.startOnAnyPort(folder, "trans-anonymous",
      transConfig(new JsonObject().put("ca", authority.caFile().toString())), "trans");
    processes.add(anonymous);
    Buffer reply = FrameClient.connect(vertx, vertx.createNetClient(), "127.0.0.1", anonymous.port(), 1 << 20, 30_000)
      .compose(client -> client.send(NativeFormat.encode("tls-it", 1,
        List.of(Sample.numeric("anonymous-host", System.currentTimeMillis(), "cpu.user", "", 1)))))
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertFalse(Replies.isOk(reply), "no OK without a client certificate: " + reply);
    System.out.println("trans without a client certificate answered: " + reply);
  }

  private static JsonObject tls(CertificateMaker.Issued client) {
    return new JsonObject().put("ca", authority.caFile().toString()).put("certificate", client.certificate().toString())
      .put("key", client.key().toString());
  }

  private static JsonObject transConfig(JsonObject tls) {
    return new JsonObject().put("components", new JsonArray().add("trans")).put("trans", new JsonObject().put("host", "127.0.0.1")
      .put("port", 0).put("kafka", new JsonObject().put("bootstrap", broker.bootstrap()).put("topic", "frames-tls")
        .put("timeoutMs", 3_000).put("tls", tls)));
  }
}
