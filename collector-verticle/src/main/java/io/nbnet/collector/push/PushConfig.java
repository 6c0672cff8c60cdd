package io.nbnet.collector.push;

import io.nbnet.remotewrite.RemoteWriteLimits;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.http.HttpGuard;
import io.nbnet.support.http.HttpLimits;
import io.nbnet.wire.tls.ServerTls;
import io.vertx.core.http.ClientAuth;

import java.util.Optional;

/**
 * {@code collector.push.http}: where applications push samples to the local collector. Off unless
 * {@code enabled}; loopback by default (Open-Falcon's agent port). Bound to any other address it
 * requires a {@code token} (or client certificates), as the saver's API does.
 *
 * @param maxBodyBytes      the largest request body, after gzip is undone; larger ones get 413
 * @param allowOtherHosts   whether a push may carry samples of hosts other than this collector's
 *                          (off: with host identity on the next hop, they would be refused there anyway)
 * @param maxSeries         series pushes may bring in all; a push that would pass it gets 400
 * @param maxFutureMs       a sample further ahead of this machine's clock is refused
 * @param maxAgeMs          a sample older than this is refused (a time in the wrong unit lands in 1970)
 * @param token             the secret a push must carry (as a bearer token, InfluxDB's {@code Token} or
 *                          {@code p} parameter, or a basic-auth password); none on loopback by default
 * @param tls               HTTPS, with a {@code tls} section like the frame ports'
 * @param limits            the port's time limits and connection cap
 * @param remoteWrite       what one Prometheus remote write request may hold ({@code push.remoteWrite})
 */
public record PushConfig(boolean enabled, String host, int port, int maxBodyBytes, boolean allowOtherHosts, int maxSeries,
                         long maxFutureMs, long maxAgeMs, Optional<String> token, Optional<ServerTls> tls, HttpLimits limits,
                         RemoteWriteLimits remoteWrite) {

  /** Overrides {@code token}, so the secret can stay out of the config file (the systemd units read ROLE.env). */
  public static final String TOKEN_ENV = "NBNET_PUSH_TOKEN";

  public static PushConfig from(ConfigView push) {
    ConfigView http = push.section("http");
    PushConfig config = new PushConfig(
      http.bool("enabled", false),
      http.string("host", "127.0.0.1"),
      http.integer("port", 1988, 0, 65535),
      http.integer("maxBodyBytes", 4 * 1024 * 1024, 1024, 64 * 1024 * 1024),
      push.bool("allowOtherHosts", false),
      push.integer("maxSeries", 10_000, 1, 10_000_000),
      push.longValue("maxFutureMs", 600_000, 0, 31L * 86_400_000),
      push.longValue("maxAgeMs", 7 * 86_400_000L, 60_000, 36_500L * 86_400_000),
      Optional.ofNullable(System.getenv(TOKEN_ENV)).or(() -> http.secret("token")).filter(token -> !token.isEmpty()),
      ServerTls.from(http),
      HttpLimits.from(http),
      RemoteWriteLimits.from(push.section("remoteWrite")));
    boolean clientCertificates = config.tls().map(tls -> tls.clientAuth() == ClientAuth.REQUIRED).orElse(false);
    if (config.enabled() && config.token().isEmpty() && !clientCertificates && !HttpGuard.isLoopback(config.host())) {
      throw http.error("token", "is required when the push port listens on " + config.host() + ", beyond this machine"
        + " (or tls with clientAuth \"required\")");
    }
    return config;
  }
}
