package io.nbnet.saver;

import io.nbnet.support.config.ConfigView;
import io.nbnet.support.http.HttpGuard;
import io.nbnet.support.http.HttpLimits;
import io.nbnet.wire.tls.ServerTls;
import io.vertx.core.http.ClientAuth;

import java.util.Optional;

/**
 * {@code saver.http}: the query API and the dashboard. Loopback by default; bound to any other address
 * it requires a token, so the fleet's data is never open to the network by accident.
 *
 * @param maxQueries      queries running at once; more wait up to {@code queueWaitMs}, then get 503
 * @param queryTimeoutMs  the server-side limit of every statement (max_statement_time)
 * @param tls             HTTPS, with a {@code tls} section like the frame ports' (it may name the same files)
 * @param queryShare      seconds of query time per second the API may spend, its queries' durations summed: what it
 *                        leaves of the database (and of the saver) is the writes'
 * @param busyQueryShare  the same while the writes keep waiting for the database: the share falls from
 *                        {@code queryShare} towards it as they wait more of the time (readers yield to a backlog)
 * @param limits          the port's time limits and connection cap
 * @param maxSamples      samples one PromQL query may load from the store (each costs about 40 bytes of heap while the query runs)
 * @param maxSeries       series one PromQL selector may match
 */
public record HttpConfig(boolean enabled, String host, int port, Optional<String> token, int maxQueries, long queueWaitMs,
                         long queryTimeoutMs, double queryShare, double busyQueryShare, Optional<ServerTls> tls, HttpLimits limits,
                         long maxSamples, int maxSeries) {

  public static final int DEFAULT_PORT = 9180;
  /** Overrides {@code token}, so the secret can stay out of the config file (the systemd units read ROLE.env). */
  public static final String TOKEN_ENV = "NBNET_HTTP_TOKEN";

  public static HttpConfig from(ConfigView config) {
    HttpConfig http = new HttpConfig(
      config.bool("enabled", true),
      config.string("host", "127.0.0.1"),
      config.integer("port", DEFAULT_PORT, 0, 65_535),
      Optional.ofNullable(System.getenv(TOKEN_ENV)).or(() -> config.secret("token")).filter(token -> !token.isEmpty()),
      config.integer("maxQueries", 4, 1, 64),
      config.longValue("queueWaitMs", 2_000, 0, 60_000),
      config.longValue("queryTimeoutMs", 5_000, 100, 600_000),
      config.doubleValue("queryShare", 0.5, 0.01, 64),
      config.doubleValue("busyQueryShare", 0.05, 0.01, 64),
      ServerTls.from(config),
      HttpLimits.from(config),
      config.longValue("maxSamples", 1_000_000, 100, 1_000_000_000),
      config.integer("maxSeries", 20_000, 10, 10_000_000));
    boolean clientCertificates = http.tls().map(tls -> tls.clientAuth() == ClientAuth.REQUIRED).orElse(false);
    if (http.enabled() && http.token().isEmpty() && !clientCertificates && !HttpGuard.isLoopback(http.host())) {
      throw config.error("token", "is required when the API listens on " + http.host() + ", beyond this machine"
        + " (or tls with clientAuth \"required\")");
    }
    return http;
  }
}
