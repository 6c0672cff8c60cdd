package io.nbnet.support.http;

import io.nbnet.support.config.ConfigView;

/**
 * The limits of one HTTP port, read from its section ({@code saver.http}, {@code collector.push.http},
 * {@code monitor}).
 *
 * @param headerTimeoutMs a connection's first request header must be complete within this of the connection opening
 * @param bodyTimeoutMs   a request's body must be read within this of its header
 * @param idleTimeoutMs   a kept-alive connection is closed when its next request has not arrived within this of the
 *                        last answer (and when no byte moved for as long)
 * @param maxConnections  connections open at once on the port; more are closed as they come
 * @param maxConnectionsPerAddress connections open at once from one client address: one client cannot take them all
 */
public record HttpLimits(long headerTimeoutMs, long bodyTimeoutMs, long idleTimeoutMs, int maxConnections, int maxConnectionsPerAddress) {

  public static final HttpLimits DEFAULTS = new HttpLimits(10_000, 30_000, 60_000, 512, 128);

  public static HttpLimits from(ConfigView section) {
    return new HttpLimits(
      section.longValue("headerTimeoutMs", DEFAULTS.headerTimeoutMs(), 100, 600_000),
      section.longValue("bodyTimeoutMs", DEFAULTS.bodyTimeoutMs(), 100, 600_000),
      section.longValue("idleTimeoutMs", DEFAULTS.idleTimeoutMs(), 100, 3_600_000),
      section.integer("maxConnections", DEFAULTS.maxConnections(), 1, 100_000),
      section.integer("maxConnectionsPerAddress", DEFAULTS.maxConnectionsPerAddress(), 1, 100_000));
  }
}
