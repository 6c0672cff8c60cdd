package io.nbnet.store.legacy;

/**
 * The legacy "split by host" rule: {@code h} starts at 97 and, for each code point {@code c} of the
 * host name, becomes {@code h XOR (c * 13)}; the row goes to {@code stat_(h mod 4)}. Old dashboards
 * find a host's rows with the same rule.
 */
public final class LegacyTableRule {

  private LegacyTableRule() {
  }

  public static long hostHash(String host) {
    long h = 97;
    for (int c : host.codePoints().toArray()) {
      h ^= (long) c * 13;
    }
    return h;
  }

  public static int tableIndex(String host, int tables) {
    return (int) (hostHash(host) % tables);
  }
}
