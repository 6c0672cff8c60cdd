package io.nbnet.launcher;

import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.launcher.certs.CertificateMaker;
import io.nbnet.launcher.testing.LoggedPorts;
import io.nbnet.mariadb.EmbeddedMariaDb;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.testing.Await;
import io.nbnet.wire.testing.RawFrameSocket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The saver to MySQL over TLS: an embedded MariaDB serving a certificate from a throwaway CA, a user
 * that MariaDB lets in only over TLS, and a saver that verifies the server's certificate and name.
 */
@ExtendWith(VertxExtension.class)
class MySqlTlsTest {

  @Test
  @DisplayName("with mysql.ssl verify_identity the saver stores samples as a user MariaDB admits only over TLS; without TLS that user is refused")
  void saverUsesTls(Vertx vertx, @TempDir Path folder) throws Exception {
    CertificateMaker authority = CertificateMaker.newAuthority(folder, "ca", "MySQL test CA");
    CertificateMaker.Issued certificate = authority.server("mysql", List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
    try (EmbeddedMariaDb mariadb = EmbeddedMariaDb.start(folder.resolve("mariadb"), 0, false, List.of("--ssl-cert=" + certificate.certificate(),
      "--ssl-key=" + certificate.key(), "--ssl-ca=" + authority.caFile()))) {
      Pool root = TestDatabase.plainPool(vertx, new MySqlConfig("127.0.0.1", mariadb.port(), "root", "", "mysql", 1, 1), false, 1);
      // the embedded server starts without privilege checks; loading the grant tables turns them on
      Await.result(root.query("FLUSH PRIVILEGES").execute(), 60);
      Await.result(root.query("CREATE USER 'nbnet_tls'@'127.0.0.1' IDENTIFIED BY 'tls-only' REQUIRE SSL").execute(), 60);
      Await.result(root.query("GRANT ALL ON *.* TO 'nbnet_tls'@'127.0.0.1'").execute(), 60);
      Await.result(root.close(), 60);

      JsonObject mysql = new JsonObject().put("host", "127.0.0.1").put("port", mariadb.port()).put("user", "nbnet_tls")
        .put("password", "tls-only").put("database", "nbnet_tls")
        .put("ssl", new JsonObject().put("mode", "verify_identity").put("ca", authority.caFile().toString()));
      String saver;
      int port;
      try (LoggedPorts ports = LoggedPorts.capture()) {
        saver = Await.result(vertx.deployVerticle(new NbnetVerticle(NbnetConfig.parse(new JsonObject()
          .put("components", new JsonArray().add("saver"))
          .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("http", new JsonObject().put("port", 0))
            .put("mysql", mysql))))), 60);
        port = ports.server("saver");
      }
      String frame = NativeFormat.encode("tls-test", 1, List.of(Sample.numeric("mysql-tls-host", System.currentTimeMillis(), "cpu.user", "", 7)))
        .toString(StandardCharsets.UTF_8);
      try (RawFrameSocket socket = new RawFrameSocket(port)) {
        assertEquals("OK 1", socket.request(frame));
      }
      Await.result(vertx.undeploy(saver), 60);

      MySqlConfig overTls = MySqlConfig.from(ConfigView.of(mysql, "mysql"));
      Pool tls = TestDatabase.plainPool(vertx, overTls, true, 1);
      assertEquals(1L, Await.result(tls.query("SELECT COUNT(*) FROM samples_all WHERE host = 'mysql-tls-host'").execute(), 60).iterator().next().getLong(0));
      assertTrue(Await.result(tls.query("SHOW SESSION STATUS LIKE 'Ssl_version'").execute(), 60).iterator().next().getString(1).startsWith("TLSv1."));
      Await.result(tls.close(), 60);

      MySqlConfig plain = MySqlConfig.from(ConfigView.of(mysql.copy().put("ssl", new JsonObject().put("mode", "disabled")), "mysql"));
      Pool refused = TestDatabase.plainPool(vertx, plain, true, 1);
      RuntimeException denied = assertThrows(RuntimeException.class, () -> Await.result(refused.query("SELECT 1").execute(), 60));
      assertTrue(denied.getMessage().contains("Access denied"), denied.getMessage());
      Await.result(refused.close(), 60);
    }
  }

}
