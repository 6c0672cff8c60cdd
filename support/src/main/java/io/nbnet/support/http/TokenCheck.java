package io.nbnet.support.http;

import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether a request carries a port's token, the ways the clients of that port send one: {@code
 * Authorization: Bearer <token>} (Prometheus, Grafana, OpenTelemetry), {@code Authorization: Token
 * <token>} (InfluxDB 2 clients, Telegraf), the password of basic authentication, or the {@code p}
 * parameter (InfluxDB 1 clients). Compared in constant time; an address that keeps failing is refused
 * with 429 for a while, its token not even compared ({@link FailedAuthThrottle}). A port without a
 * token lets every request through.
 */
public final class TokenCheck {

  /** Why a request is refused: 401 or 429 (with the seconds to wait). */
  public record Refusal(int status, OptionalLong retryAfterSeconds, String message) {
  }

  private final Optional<byte[]> token;
  private final FailedAuthThrottle throttle;

  public TokenCheck(Optional<String> token, ClientErrors errors) {
    this.token = token.map(secret -> secret.getBytes(StandardCharsets.UTF_8));
    this.throttle = new FailedAuthThrottle(errors);
  }

  /** Empty when {@code request} may go on. */
  public Optional<Refusal> check(HttpServerRequest request) {
    if (token.isEmpty()) {
      return Optional.empty();
    }
    String address = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    OptionalLong wait = throttle.retryAfterSeconds(address, System.nanoTime());
    if (wait.isPresent()) {
      return Optional.of(new Refusal(429, wait, "too many failed authentications from this address: try again in " + wait.getAsLong()
        + " s"));
    }
    if (MessageDigest.isEqual(presented(request), token.get())) {
      return Optional.empty();
    }
    throttle.failed(address, System.nanoTime());
    return Optional.of(new Refusal(401, OptionalLong.empty(), "a valid token is required (Authorization: Bearer <token>)"));
  }

  private static byte[] presented(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header != null) {
      int space = header.indexOf(' ');
      String scheme = space < 0 ? header : header.substring(0, space);
      String credentials = space < 0 ? "" : header.substring(space + 1).trim();
      if (scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("Token")) {
        return credentials.getBytes(StandardCharsets.UTF_8);
      }
      if (scheme.equalsIgnoreCase("Basic")) {
        try {
          String userAndPassword = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
          return userAndPassword.substring(userAndPassword.indexOf(':') + 1).getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return new byte[0];
        }
      }
      return new byte[0];
    }
    String password = request.getParam("p");
    return password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8);
  }
}
