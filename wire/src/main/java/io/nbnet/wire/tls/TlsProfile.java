package io.nbnet.wire.tls;

import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

import java.util.List;
import java.util.Set;

/**
 * What every nbnet TLS endpoint speaks: TLS 1.2 and 1.3 only, with Mozilla's "intermediate" cipher
 * suites (forward secrecy, AEAD only), on OpenSSL when netty-tcnative is on the class path, else on
 * the JDK's engine.
 */
public final class TlsProfile {

  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  /** Mozilla intermediate (v5.7), by their IANA names; TLS 1.3's own suites come first. */
  static final List<String> CIPHER_SUITES = List.of(
    "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private TlsProfile() {
  }

  static SSLEngineOptions engine() {
    return OpenSSLEngineOptions.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
  }

  /** Which engine runs, for the start-up log line. */
  public static String engineName() {
    return OpenSSLEngineOptions.isAvailable() ? "OpenSSL" : "JDK";
  }
}
