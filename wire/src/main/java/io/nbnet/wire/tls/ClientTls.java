package io.nbnet.wire.tls;

import io.nbnet.support.config.ConfigView;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code tls} section of a client (a collector, trans toward its savers): the CA that signed the
 * server's certificate (else the JVM's trusted ones), this side's certificate and key when the server
 * asks for one, and whether the server's certificate must name the address connected to.
 */
public record ClientTls(Optional<Path> ca, Optional<Path> certificate, Optional<Path> key, boolean verifyHost,
                        long handshakeTimeoutMillis) {

  /** The section named {@code name} when present, else empty: plaintext. */
  public static Optional<ClientTls> from(ConfigView config, String name) {
    if (!config.has(name)) {
      return Optional.empty();
    }
    ConfigView tls = config.section(name);
    Optional<Path> certificate = ServerTls.file(tls, "certificate");
    Optional<Path> key = ServerTls.file(tls, "key");
    if (certificate.isPresent() != key.isPresent()) {
      throw tls.error(certificate.isPresent() ? "key" : "certificate", "goes with " + (certificate.isPresent() ? "certificate" : "key")
        + ": a client certificate needs both");
    }
    return Optional.of(new ClientTls(ServerTls.file(tls, "ca"), certificate, key, tls.bool("verifyHost", true),
      tls.longValue("handshakeTimeoutMs", 10_000, 100, 600_000)));
  }

  public NetClientOptions applyTo(NetClientOptions options) {
    options.setSsl(true).setSslEngineOptions(TlsProfile.engine())
      .setEnabledSecureTransportProtocols(TlsProfile.PROTOCOLS)
      .setSslHandshakeTimeout(handshakeTimeoutMillis).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
      .setHostnameVerificationAlgorithm(verifyHost ? "HTTPS" : "");
    ca.ifPresent(path -> options.setTrustOptions(new PemTrustOptions().addCertPath(path.toString())));
    certificate.ifPresent(cert -> options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString())
      .setKeyPath(key.orElseThrow().toString())));
    TlsProfile.CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }
}
