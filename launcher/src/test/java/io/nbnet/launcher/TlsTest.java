package io.nbnet.launcher;

import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.launcher.certs.CertificateMaker;
import io.nbnet.launcher.testing.LoggedPorts;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.testing.Await;
import io.nbnet.wire.FrameClient;
import io.nbnet.wire.testing.RawFrameSocket;
import io.nbnet.wire.tls.ClientTls;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on every hop, with real sockets and certificates from a throwaway CA: a collector sends through
 * trans to the saver with client certificates all the way; plaintext, foreign and revoked clients
 * are refused while the port keeps serving; host identity refuses a forged host; a renewed server
 * certificate is served to new connections without a restart.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsTest {

  private static final AtomicLong LAST_TIMESTAMP = new AtomicLong();

  private static final String HOST = "tls-host";
  private static TestDatabase database;
  private static CertificateMaker authority;
  private static CertificateMaker.Issued serverCertificate;
  private static Path folder;
  private static int saverPort;
  private static int transPort;
  private static int plaintextPort;
  private static int monitorPort;
  private static final List<String> deployments = new ArrayList<>();

  @BeforeAll
  static void startPipeline(Vertx vertx, @TempDir Path tempDir) throws Exception {
    folder = tempDir;
    database = new TestDatabase(vertx);
    authority = CertificateMaker.newAuthority(folder, "ca", "nbnet test CA");
    serverCertificate = authority.server("server", List.of("localhost", "127.0.0.1"), Duration.ofDays(30));
    CertificateMaker.Issued relay = authority.client("trans-relay", "trans-relay");
    CertificateMaker.Issued host = authority.client("tls-host", HOST);
    CertificateMaker.Issued revoked = authority.client("revoked-host", "revoked-host");
    Path crl = authority.crl("crl", List.of(revoked.x509()));
    JsonObject serverTls = new JsonObject().put("certificate", serverCertificate.certificate().toString())
      .put("key", serverCertificate.key().toString()).put("ca", authority.caFile().toString()).put("clientAuth", "required")
      .put("crl", crl.toString()).put("hostIdentity", true).put("reloadCheckMs", 200);
    try (LoggedPorts ports = LoggedPorts.capture()) {
      deployments.add(deploy(vertx, new JsonObject().put("components", new JsonArray().add("saver"))
        .put("monitor", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("tls", new JsonObject()
          .put("certificate", serverCertificate.certificate().toString()).put("key", serverCertificate.key().toString())))
        .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig())
          .put("http", new JsonObject().put("port", 0))
          .put("tls", serverTls.copy().put("trustedRelays", new JsonArray().add("trans-relay"))))));
      saverPort = ports.server("saver");
      monitorPort = ports.httpsMonitor();
      deployments.add(deploy(vertx, new JsonObject().put("components", new JsonArray().add("trans"))
        .put("trans", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("savers", new JsonArray().add("127.0.0.1:" + saverPort))
          .put("tls", serverTls.copy())
          .put("plaintext", new JsonObject().put("host", "127.0.0.1").put("port", 0))
          .put("saverTls", clientTls(relay)))));
      transPort = ports.server("trans");
      plaintextPort = ports.server("trans-plaintext");
      deployments.add(deploy(vertx, new JsonObject().put("components", new JsonArray().add("collector"))
        .put("collector", new JsonObject().put("host", HOST).put("intervalMs", 500)
          .put("trans", new JsonObject().put("enabled", true).put("address", "127.0.0.1:" + transPort))
          .put("tls", clientTls(host)))));
    }
  }

  @AfterAll
  static void stopPipeline(Vertx vertx) throws Exception {
    for (String deployment : deployments) {
      Await.result(vertx.undeploy(deployment));
    }
    database.close();
  }

  @Test
  @Order(1)
  @DisplayName("a collector's samples reach MySQL over TLS with client certificates, collector -> trans -> saver")
  void pipelineOverTls() {
    assertTrue(database.awaitCount(20, 30_000, "SELECT COUNT(*) FROM samples_all WHERE host = ?", HOST) >= 20);
  }

  @Test
  @Order(2)
  @DisplayName("a plaintext client on the TLS port is closed without a reply, and the port keeps serving")
  void plaintextClientIsRefused() throws Exception {
    String frame = frame("plain-host");
    try (RawFrameSocket socket = new RawFrameSocket(transPort)) {
      assertThrows(Exception.class, () -> socket.request(frame));
    }
    long before = database.count("SELECT COUNT(*) FROM samples_all WHERE host = ?", HOST);
    database.awaitCount(before + 10, 30_000, "SELECT COUNT(*) FROM samples_all WHERE host = ?", HOST);
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_all WHERE host = 'plain-host'"));
  }

  @Test
  @Order(2)
  @DisplayName("the monitor serves /health (and /metrics) over HTTPS with the server's certificate, checked against the CA")
  void monitorServesHttps(Vertx vertx) throws Exception {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true)
      .setTrustOptions(new PemTrustOptions().addCertPath(authority.caFile().toString())));
    try {
      String health = Await.result(client.request(HttpMethod.GET, monitorPort, "127.0.0.1", "/health")
        .compose(request -> request.send().compose(response -> response.body())))
        .toString(StandardCharsets.UTF_8);
      assertTrue(new JsonObject(health).containsKey("status"), health);
    } finally {
      Await.result(client.close());
    }
  }

  @Test
  @Order(2)
  @DisplayName("an old agent without TLS is served on trans's plaintext door, and its frame reaches the TLS saver")
  void oldAgentUsesThePlaintextDoor() throws Exception {
    String legacy = new JsonObject().put("Host", "old-agent").put("Time", System.currentTimeMillis() / 1000).put("MemTotal", 100)
      .put("MemUsage", 50).put("MemFree", 50).put("LoadAvg", 0.5).encode();
    try (RawFrameSocket socket = new RawFrameSocket(plaintextPort)) {
      assertEquals("OK", socket.request(legacy));
    }
    long stored = 0;
    for (int table = 0; table < 4; table++) {
      stored += database.count("SELECT COUNT(*) FROM stat_" + table + " WHERE host = 'old-agent'");
    }
    assertEquals(1, stored);
  }

  @Test
  @Order(3)
  @DisplayName("a client certificate from another CA, and a revoked one, cannot connect")
  void foreignAndRevokedCertificatesAreRefused(Vertx vertx, @TempDir Path other) throws Exception {
    CertificateMaker.Issued foreign = CertificateMaker.newAuthority(other, "other-ca", "another CA").client("tls-host", HOST);
    assertThrows(RuntimeException.class, () -> send(vertx, saverPort, clientTls(foreign), frame(HOST)));
    CertificateMaker.Issued revoked = new CertificateMaker.Issued(folder.resolve("revoked-host.pem"), folder.resolve("revoked-host-key.pem"), null);
    assertThrows(RuntimeException.class, () -> send(vertx, saverPort, clientTls(revoked), frame("revoked-host")));
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_all WHERE host = 'revoked-host'"));
  }

  @Test
  @Order(4)
  @DisplayName("host identity: a certificate for tls-host writing another host's samples gets ERR refused; its own are stored")
  void forgedHostIsRefused(Vertx vertx) throws Exception {
    CertificateMaker.Issued host = new CertificateMaker.Issued(folder.resolve("tls-host.pem"), folder.resolve("tls-host-key.pem"), null);
    NetClient client = vertx.createNetClient(tls(clientTls(host)));
    FrameClient frames = Await.result(FrameClient.connect(vertx, client, "127.0.0.1", saverPort, 1 << 20, 10_000));
    try {
      String forged = Await.result(frames.send(Buffer.buffer(frame("db-master")))).toString(StandardCharsets.UTF_8);
      assertTrue(forged.startsWith("ERR refused: the client certificate does not name host db-master"), forged);
      String honest = Await.result(frames.send(Buffer.buffer(frame(HOST)))).toString(StandardCharsets.UTF_8);
      assertEquals("OK 1", honest);
    } finally {
      Await.result(frames.close());
      Await.result(client.close());
    }
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_all WHERE host = 'db-master'"));
  }

  @Test
  @Order(5)
  @DisplayName("a renewed server certificate is served to new connections without a restart")
  void rotatedCertificateIsServed(Vertx vertx, @TempDir Path renewed) throws Exception {
    CertificateMaker.Issued host = new CertificateMaker.Issued(folder.resolve("tls-host.pem"), folder.resolve("tls-host-key.pem"), null);
    NetClientOptions options = tls(clientTls(host));
    X509Certificate before = servedCertificate(vertx, options);
    assertEquals(serverCertificate.x509().getSerialNumber(), before.getSerialNumber());

    CertificateMaker.Issued next = authority.server("server-next", List.of("localhost", "127.0.0.1"), Duration.ofDays(60));
    // the key first, then the certificate, each replaced in one move as a deploy tool would
    Files.copy(next.key(), renewed.resolve("key.pem"));
    Files.copy(next.certificate(), renewed.resolve("cert.pem"));
    Files.move(renewed.resolve("key.pem"), serverCertificate.key(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.move(renewed.resolve("cert.pem"), serverCertificate.certificate(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    X509Certificate after = await().atMost(30, TimeUnit.SECONDS).until(() -> servedCertificate(vertx, options),
      served -> !served.getSerialNumber().equals(before.getSerialNumber()));
    assertEquals(next.x509().getSerialNumber(), after.getSerialNumber());
    assertNotEquals(before.getNotAfter(), after.getNotAfter());
    assertEquals("OK 1", sendOk(vertx, saverPort, options, frame(HOST)));
  }

  private static X509Certificate servedCertificate(Vertx vertx, NetClientOptions options) throws Exception {
    NetClient client = vertx.createNetClient(options);
    try {
      NetSocket socket = Await.result(client.connect(saverPort, "127.0.0.1"));
      X509Certificate served = (X509Certificate) socket.sslSession().getPeerCertificates()[0];
      Await.result(socket.close());
      return served;
    } finally {
      Await.result(client.close());
    }
  }

  private static void send(Vertx vertx, int port, JsonObject tls, String frame) throws Exception {
    sendOk(vertx, port, tls(tls), frame);
  }

  private static String sendOk(Vertx vertx, int port, NetClientOptions options, String frame) throws Exception {
    NetClient client = vertx.createNetClient(options);
    try {
      FrameClient frames = Await.result(FrameClient.connect(vertx, client, "127.0.0.1", port, 1 << 20, 5_000));
      try {
        return Await.result(frames.send(Buffer.buffer(frame))).toString(StandardCharsets.UTF_8);
      } finally {
        frames.close();
      }
    } finally {
      client.close();
    }
  }

  private static NetClientOptions tls(JsonObject section) {
    return ClientTls.from(ConfigView.of(new JsonObject().put("tls", section), "test"), "tls").orElseThrow()
      .applyTo(new NetClientOptions().setConnectTimeout(5_000));
  }

  private static JsonObject clientTls(CertificateMaker.Issued issued) {
    return new JsonObject().put("ca", authority.caFile().toString()).put("certificate", issued.certificate().toString())
      .put("key", issued.key().toString());
  }

  /** One sample of {@code host} at a time no other frame of these tests used: two in one millisecond would be a conflict. */
  private static String frame(String host) {
    long ts = LAST_TIMESTAMP.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
    return NativeFormat.encode("tls-test", 1, List.of(Sample.numeric(host, ts, "cpu.user", "", 1)))
      .toString(StandardCharsets.UTF_8);
  }

  private static String deploy(Vertx vertx, JsonObject config) throws Exception {
    return Await.result(vertx.deployVerticle(new NbnetVerticle(NbnetConfig.parse(config))));
  }

}
