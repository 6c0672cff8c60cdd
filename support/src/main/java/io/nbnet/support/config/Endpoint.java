package io.nbnet.support.config;

/** A {@code host:port} a component connects to. */
public record Endpoint(String host, int port) {

  public static Endpoint parse(String text, String where) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new ConfigException(where + ": expected host:port, got \"" + text + "\"");
    }
    String host = text.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigException(where + ": port of \"" + text + "\" is not a number");
    }
    if (port < 1 || port > 65535) {
      throw new ConfigException(where + ": port of \"" + text + "\" is outside 1..65535");
    }
    return new Endpoint(host, port);
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
