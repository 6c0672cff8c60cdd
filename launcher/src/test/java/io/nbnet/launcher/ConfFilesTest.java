package io.nbnet.launcher;

import io.nbnet.launcher.certs.CertificateMaker;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfFilesTest {

  @ParameterizedTest(name = "conf/{0}")
  @ValueSource(strings = {"collector.json", "trans.json", "saver.json", "all-in-one.json", "demo.json"})
  @DisplayName("the configurations shipped in conf/ are valid")
  void areValid(String file) throws Exception {
    NbnetConfig config = NbnetConfig.parse(new JsonObject(Files.readString(Path.of("../conf", file))));
    assertFalse(config.components().isEmpty());
  }

  @ParameterizedTest(name = "deploy/tls/{0}")
  @ValueSource(strings = {"collector.json", "trans.json", "saver.json"})
  @DisplayName("the TLS examples in deploy/tls are valid with the files ./nbnet certs makes in their place")
  void tlsExamplesAreValid(String file, @TempDir Path certificates) throws Exception {
    CertificateMaker authority = CertificateMaker.newAuthority(certificates, "ca", "test CA");
    authority.server("server", List.of("localhost"), Duration.ofDays(1));
    authority.client("client-trans", "trans");
    authority.client("client-web-1", "web-1");
    authority.crl("crl", List.of());
    String text = Files.readString(Path.of("../deploy/tls", file));
    assertTrue(text.contains("/etc/nbnet/tls/"));
    NbnetConfig config = NbnetConfig.parse(new JsonObject(text.replace("/etc/nbnet/tls/", certificates + "/")));
    assertFalse(config.components().isEmpty());
  }
}
