package io.nbnet.launcher;

import io.nbnet.launcher.certs.CertificateMaker;
import io.nbnet.support.config.ConfigException;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cluster.tls}: the event bus options it makes, and what it refuses. */
class ClusterTlsConfigTest {

  @Test
  @DisplayName("cluster.tls turns on TLS with client certificates on the event bus; clientAuth other than required is refused")
  void clusterTls(@TempDir Path folder) throws Exception {
    CertificateMaker authority = CertificateMaker.newAuthority(folder, "ca", "cluster CA");
    CertificateMaker.Issued member = authority.node("member", List.of("localhost", "127.0.0.1"));
    JsonObject tls = new JsonObject().put("certificate", member.certificate().toString()).put("key", member.key().toString())
      .put("ca", authority.caFile().toString());
    JsonObject config = new JsonObject().put("components", new JsonArray().add("saver")).put("cluster", new JsonObject().put("tls", tls));

    EventBusOptions options = NbnetConfig.parse(config).clusterTls().orElseThrow().applyTo(new EventBusOptions());
    assertTrue(options.isSsl());
    assertEquals(ClientAuth.REQUIRED, options.getClientAuth());
    assertTrue(options.getEnabledSecureTransportProtocols().containsAll(List.of("TLSv1.2", "TLSv1.3")));
    assertEquals(2, options.getEnabledSecureTransportProtocols().size());

    ConfigException refused = assertThrows(ConfigException.class, () -> NbnetConfig.parse(config.copy()
      .put("cluster", new JsonObject().put("tls", tls.copy().put("clientAuth", "request")))));
    assertTrue(refused.getMessage().contains("cluster.tls.clientAuth: must be required"), refused.getMessage());
  }
}
