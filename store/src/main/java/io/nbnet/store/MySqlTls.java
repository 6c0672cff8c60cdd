package io.nbnet.store;

import io.nbnet.support.config.ConfigView;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.SslMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code mysql.ssl}: TLS to MySQL, as the mysql client's {@code --ssl-mode} ({@code disabled},
 * {@code preferred}, {@code required}, {@code verify_ca}, {@code verify_identity}) with the CA that
 * signed the server's certificate for the two that verify it.
 */
public record MySqlTls(SslMode mode, Optional<Path> ca) {

  public static final MySqlTls DISABLED = new MySqlTls(SslMode.DISABLED, Optional.empty());

  static MySqlTls from(ConfigView mysql) {
    if (!mysql.has("ssl")) {
      return DISABLED;
    }
    ConfigView ssl = mysql.section("ssl");
    String mode = ssl.string("mode", "required", "disabled|preferred|required|verify_ca|verify_identity",
      "disabled, preferred, required, verify_ca or verify_identity");
    Optional<Path> ca = ssl.optionalString("ca").map(Path::of);
    if (ca.isPresent() && !Files.isReadable(ca.get())) {
      throw ssl.error("ca", "cannot read " + ca.get());
    }
    SslMode sslMode = SslMode.valueOf(mode.toUpperCase(Locale.ROOT));
    if ((sslMode == SslMode.VERIFY_CA || sslMode == SslMode.VERIFY_IDENTITY) && ca.isEmpty()) {
      throw ssl.error("ca", "is required with mode " + mode + ": the CA that signed MySQL's certificate");
    }
    return new MySqlTls(sslMode, ca);
  }

  void applyTo(MySQLConnectOptions options) {
    options.setSslMode(mode);
    if (mode == SslMode.DISABLED) {
      return;
    }
    ClientSSLOptions ssl = new ClientSSLOptions();
    ca.ifPresentOrElse(path -> ssl.setTrustOptions(new PemTrustOptions().addCertPath(path.toString())),
      // required alone encrypts without checking who answers, as mysql --ssl-mode=REQUIRED does
      () -> ssl.setTrustAll(mode == SslMode.REQUIRED || mode == SslMode.PREFERRED));
    if (mode == SslMode.VERIFY_IDENTITY) {
      ssl.setHostnameVerificationAlgorithm("HTTPS");
    }
    options.setSslOptions(ssl);
  }

  @Override
  public String toString() {
    return mode.name().toLowerCase(Locale.ROOT) + ca.map(path -> " (CA " + path + ")").orElse("");
  }
}
