package io.nbnet.collector.push;

import io.nbnet.support.config.ConfigView;
import io.nbnet.support.http.HttpLimits;

/**
 * {@code collector.push.http}: where applications push samples to the local collector. Off unless
 * {@code enabled}; loopback by default (Open-Falcon's agent port).
 *
 * @param maxBodyBytes      the largest request body; larger ones get 413
 * @param allowOtherHosts   whether a push may carry samples of hosts other than this collector's
 *                          (off: with host identity on the next hop, they would be refused there anyway)
 * @param maxSeries         series pushes may bring in all; a push that would pass it gets 400
 * @param limits            the port's time limits and connection cap
 */
public record PushConfig(boolean enabled, String host, int port, int maxBodyBytes, boolean allowOtherHosts, int maxSeries, HttpLimits limits) {

  public static PushConfig from(ConfigView push) {
    ConfigView http = push.section("http");
    return new PushConfig(
      http.bool("enabled", false),
      http.string("host", "127.0.0.1"),
      http.integer("port", 1988, 0, 65535),
      http.integer("maxBodyBytes", 4 * 1024 * 1024, 1024, 64 * 1024 * 1024),
      push.bool("allowOtherHosts", false),
      push.integer("maxSeries", 10_000, 1, 10_000_000),
      HttpLimits.from(http));
  }
}
