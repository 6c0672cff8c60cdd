package io.nbnet.wire.tls;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

import javax.net.ssl.SSLContext;
import java.security.NoSuchAlgorithmException;
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
  private static final List<String> MOZILLA_INTERMEDIATE = List.of(
    "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  /** The profile's suites the running engine has: BoringSSL, for one, has no DHE suites. */
  static final List<String> CIPHER_SUITES = supported();

  private TlsProfile() {
  }

  private static List<String> supported() {
    if (OpenSSLEngineOptions.isAvailable()) {
      return MOZILLA_INTERMEDIATE.stream().filter(OpenSsl::isCipherSuiteAvailable).toList();
    }
    try {
      Set<String> jdk = Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
      return MOZILLA_INTERMEDIATE.stream().filter(jdk::contains).toList();
    } catch (NoSuchAlgorithmException e) {
      return MOZILLA_INTERMEDIATE;
    }
  }

  static SSLEngineOptions engine() {
    return OpenSSLEngineOptions.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
  }

  /** Which engine runs, for the start-up log line. */
  public static String engineName() {
    return OpenSSLEngineOptions.isAvailable() ? "OpenSSL" : "JDK";
  }
}
