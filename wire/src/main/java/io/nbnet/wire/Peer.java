package io.nbnet.wire;

import io.vertx.core.net.SocketAddress;

import java.util.Set;

/**
 * Who sent a request: the remote end of its connection, for log lines, audit records and limits kept
 * per address, and the names its TLS client certificate gives it (none without one).
 *
 * @param address the remote host and port, {@code 10.0.0.7:51234}
 * @param host    the remote host alone, {@code 10.0.0.7}: what per-address limits are kept by
 * @param names   the certificate's CN and DNS names, in lower case
 */
public record Peer(String address, String host, Set<String> names) {

  /** Requests that arrived on the event bus: the first nbnet process that took them over TCP checked them. */
  public static final Peer EVENT_BUS = new Peer("event-bus", "event-bus", Set.of());

  public static Peer of(SocketAddress remote) {
    return of(remote, Set.of());
  }

  public static Peer of(SocketAddress remote, Set<String> names) {
    if (remote == null) {
      return new Peer("unknown", "unknown", names);
    }
    String host = remote.hostAddress() != null ? remote.hostAddress() : String.valueOf(remote.host());
    return new Peer(remote.toString(), host, Set.copyOf(names));
  }

  @Override
  public String toString() {
    return address;
  }
}
