package io.nbnet.wire.tls;

import io.nbnet.support.config.ConfigView;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TCPSSLOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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

  /**
   * The same settings for a Kafka client: PEM files, TLS 1.3 and 1.2, the broker's certificate checked
   * against the address unless {@code verifyHost} is false. The key and certificate are read now: a
   * Kafka client takes new ones at a restart.
   */
  public Map<String, String> kafkaProperties() {
    Map<String, String> properties = new HashMap<>();
    properties.put("security.protocol", "SSL");
    properties.put("ssl.enabled.protocols", "TLSv1.3,TLSv1.2");
    properties.put("ssl.endpoint.identification.algorithm", verifyHost ? "https" : "");
    ca.ifPresent(path -> {
      properties.put("ssl.truststore.type", "PEM");
      properties.put("ssl.truststore.location", path.toString());
    });
    if (certificate.isPresent()) {
      try {
        properties.put("ssl.keystore.type", "PEM");
        properties.put("ssl.keystore.certificate.chain", Files.readString(certificate.get()));
        properties.put("ssl.keystore.key", Files.readString(key.orElseThrow()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the Kafka client certificate or key: " + e.getMessage(), e);
      }
    }
    return properties;
  }

  public NetClientOptions applyTo(NetClientOptions options) {
    options.setHostnameVerificationAlgorithm(verifyHost ? "HTTPS" : "");
    applyToTransport(options);
    return options;
  }

  /** The same settings for an HTTPS client (a remote write target, say). */
  public HttpClientOptions applyTo(HttpClientOptions options) {
    options.setVerifyHost(verifyHost);
    applyToTransport(options);
    return options;
  }

  private void applyToTransport(TCPSSLOptions options) {
    options.setSsl(true).setSslEngineOptions(TlsProfile.engine())
      .setEnabledSecureTransportProtocols(TlsProfile.PROTOCOLS)
      .setSslHandshakeTimeout(handshakeTimeoutMillis).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    ca.ifPresent(path -> options.setTrustOptions(new PemTrustOptions().addCertPath(path.toString())));
    certificate.ifPresent(cert -> options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString())
      .setKeyPath(key.orElseThrow().toString())));
    TlsProfile.CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
  }
}
