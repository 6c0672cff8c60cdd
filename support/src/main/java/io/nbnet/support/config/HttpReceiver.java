package io.nbnet.support.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * An HTTP(S) endpoint nbnet sends to (a remote-write target, an Alertmanager): its URL, checked, and the
 * {@code Authorization} header of its {@code bearerToken} or {@code basicAuth}. The URL is logged and
 * shown; the credentials never are, so a URL that holds any is refused.
 */
public record HttpReceiver(URI url, Optional<String> authorization) {

  /** From {@code url}, {@code bearerToken} or {@code basicAuth: {username, password}} of {@code config}. */
  public static HttpReceiver from(ConfigView config, String example) {
    String address = config.optionalString("url").orElseThrow(() -> config.error("url", "is required (e.g. " + example + ")"));
    URI url;
    try {
      url = URI.create(address);
    } catch (IllegalArgumentException e) {
      // not the parser's message: it quotes the URL, which may hold credentials
      throw config.error("url", "is not a URL");
    }
    if (url.getRawUserInfo() != null || url.getRawAuthority() != null && url.getRawAuthority().contains("@")) {
      throw config.error("url", "holds credentials: give them as basicAuth or bearerToken (the url is logged, they never are)");
    }
    if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
      // not the address itself: it may hold what an operator meant to keep out of logs
      throw config.error("url", "needs http:// or https:// and a host name (letters, digits, - and .)");
    }
    return new HttpReceiver(url, authorization(config));
  }

  public boolean https() {
    return "https".equals(url.getScheme());
  }

  public int port() {
    return url.getPort() > 0 ? url.getPort() : https() ? 443 : 80;
  }

  private static Optional<String> authorization(ConfigView config) {
    Optional<String> bearer = config.secret("bearerToken");
    if (!config.has("basicAuth")) {
      return bearer.map(token -> "Bearer " + token);
    }
    if (bearer.isPresent()) {
      throw config.error("basicAuth", "and bearerToken exclude each other: give one");
    }
    ConfigView basic = config.section("basicAuth");
    String user = basic.optionalString("username").orElseThrow(() -> basic.error("username", "is required"));
    String password = basic.secret("password").orElse("");
    return Optional.of("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  /** Without the credentials: what logs may show. */
  @Override
  public String toString() {
    return url + (authorization.isPresent() ? " (with credentials)" : "");
  }
}
