package io.nbnet.saver.http;

import io.nbnet.support.config.ConfigView;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * {@code saver.http}: the query API and the dashboard. Loopback by default; bound to any other address
 * it requires a token, so the fleet's data is never open to the network by accident.
 *
 * @param maxQueries      queries running at once; more wait up to {@code queueWaitMs}, then get 503
 * @param queryTimeoutMs  the server-side limit of every statement (max_statement_time)
 * @param queryShare      seconds of query time per second the API may spend, its queries' durations summed: what it
 *                        leaves of the database (and of the saver) is the writes'
 */
public record HttpConfig(boolean enabled, String host, int port, Optional<String> token, int maxQueries, long queueWaitMs,
                         long queryTimeoutMs, double queryShare) {

  public static final int DEFAULT_PORT = 9180;

  public static HttpConfig from(ConfigView config) {
    HttpConfig http = new HttpConfig(
      config.bool("enabled", true),
      config.string("host", "127.0.0.1"),
      config.integer("port", DEFAULT_PORT, 0, 65_535),
      config.secret("token").filter(token -> !token.isEmpty()),
      config.integer("maxQueries", 4, 1, 64),
      config.longValue("queueWaitMs", 2_000, 0, 60_000),
      config.longValue("queryTimeoutMs", 5_000, 100, 600_000),
      config.doubleValue("queryShare", 0.5, 0.01, 64));
    if (http.enabled() && http.token().isEmpty() && !isLoopback(http.host())) {
      throw config.error("token", "is required when the API listens on " + http.host() + ", beyond this machine");
    }
    return http;
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
