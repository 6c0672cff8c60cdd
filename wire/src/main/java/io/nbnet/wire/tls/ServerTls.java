package io.nbnet.wire.tls;

import io.nbnet.support.config.ConfigView;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The {@code tls} section of a frame server: its key and certificate (PEM), the CA its clients'
 * certificates must come from, whether they must present one, revoked certificates (CRL, PEM), and
 * host identity: whether a client certificate may only write samples of the hosts it names, unless
 * it names one of the trusted relays.
 *
 * @param reloadCheckMillis how often the files are looked at; changed ones are served to new connections
 */
public record ServerTls(Path certificate, Path key, Optional<Path> ca, ClientAuth clientAuth, List<Path> crls,
                        long handshakeTimeoutMillis, boolean hostIdentity, Set<String> trustedRelays, long reloadCheckMillis) {

  /** The section when present, else empty: no {@code tls} section, no TLS. */
  public static Optional<ServerTls> from(ConfigView config) {
    if (!config.has("tls")) {
      return Optional.empty();
    }
    ConfigView tls = config.section("tls");
    Path certificate = file(tls, "certificate").orElseThrow(() -> tls.error("certificate", "is required: the server's PEM certificate chain"));
    Path key = file(tls, "key").orElseThrow(() -> tls.error("key", "is required: the server's PEM private key"));
    Optional<Path> ca = file(tls, "ca");
    ClientAuth clientAuth = switch (tls.string("clientAuth", ca.isPresent() ? "required" : "none", "none|request|required",
      "none, request or required")) {
      case "required" -> ClientAuth.REQUIRED;
      case "request" -> ClientAuth.REQUEST;
      default -> ClientAuth.NONE;
    };
    if (clientAuth != ClientAuth.NONE && ca.isEmpty()) {
      throw tls.error("ca", "is required to check client certificates (clientAuth " + clientAuth.name().toLowerCase(Locale.ROOT) + ")");
    }
    boolean hostIdentity = tls.bool("hostIdentity", false);
    if (hostIdentity && clientAuth != ClientAuth.REQUIRED) {
      throw tls.error("hostIdentity", "needs clientAuth \"required\": a host's identity is its client certificate");
    }
    List<Path> crls = file(tls, "crl").stream().toList();
    return Optional.of(new ServerTls(certificate, key, ca, clientAuth, crls,
      tls.longValue("handshakeTimeoutMs", 10_000, 100, 600_000), hostIdentity,
      tls.strings("trustedRelays", List.of()).stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()),
      tls.longValue("reloadCheckMs", 10_000, 100, 86_400_000)));
  }

  /** These settings on a server's options (TLS on, the profile's protocols and suites, the engine). */
  public NetServerOptions applyTo(NetServerOptions options) {
    options.setSsl(true).setSslEngineOptions(TlsProfile.engine()).setKeyCertOptions(keyCert());
    fill(options.getSslOptions());
    return options;
  }

  /** These settings on the event bus of a cluster member, which is server and client at once. */
  public EventBusOptions applyTo(EventBusOptions options) {
    options.setSsl(true).setSslEngineOptions(TlsProfile.engine()).setKeyCertOptions(keyCert()).setClientAuth(clientAuth)
      .setEnabledSecureTransportProtocols(TlsProfile.PROTOCOLS)
      .setSslHandshakeTimeout(handshakeTimeoutMillis).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    ca.ifPresent(path -> options.setTrustOptions(new PemTrustOptions().addCertPath(path.toString())));
    crls.forEach(crl -> options.addCrlPath(crl.toString()));
    TlsProfile.CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }

  /** The same settings for a running server's {@code updateSSLOptions}: the files are read again. */
  public ServerSSLOptions sslOptions() {
    return fill(new ServerSSLOptions());
  }

  private ServerSSLOptions fill(ServerSSLOptions options) {
    options.setKeyCertOptions(keyCert()).setClientAuth(clientAuth)
      .setEnabledSecureTransportProtocols(TlsProfile.PROTOCOLS)
      .setSslHandshakeTimeout(handshakeTimeoutMillis).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    ca.ifPresent(path -> options.setTrustOptions(new PemTrustOptions().addCertPath(path.toString())));
    crls.forEach(crl -> options.addCrlPath(crl.toString()));
    TlsProfile.CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }

  /** Every file these settings read, for the reload check. */
  public List<Path> files() {
    List<Path> files = new java.util.ArrayList<>(List.of(certificate, key));
    ca.ifPresent(files::add);
    files.addAll(crls);
    return files;
  }

  /** How the server's log line describes it. */
  public String describe() {
    return "TLS (" + TlsProfile.engineName() + " engine, client certificates " + clientAuth.name().toLowerCase(Locale.ROOT)
      + (hostIdentity ? ", host identity enforced" : "") + ")";
  }

  private PemKeyCertOptions keyCert() {
    return new PemKeyCertOptions().setCertPath(certificate.toString()).setKeyPath(key.toString());
  }

  static Optional<Path> file(ConfigView tls, String key) {
    return tls.optionalString(key).map(value -> {
      Path path = Path.of(value);
      if (!Files.isReadable(path)) {
        throw tls.error(key, "cannot read " + path);
      }
      return path;
    });
  }
}
