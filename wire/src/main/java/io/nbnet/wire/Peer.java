package io.nbnet.wire;

import io.vertx.core.net.SocketAddress;

/**
 * Who sent a request: the remote end of its connection, for log lines, audit records and limits kept
 * per address.
 *
 * @param address the remote host and port, {@code 10.0.0.7:51234}
 * @param host    the remote host alone, {@code 10.0.0.7}: what per-address limits are kept by
 */
public record Peer(String address, String host) {

  /** Requests that arrived on the event bus: the first nbnet process that took them over TCP checked them. */
  public static final Peer EVENT_BUS = new Peer("event-bus", "event-bus");

  public static Peer of(SocketAddress remote) {
    if (remote == null) {
      return new Peer("unknown", "unknown");
    }
    String host = remote.hostAddress() != null ? remote.hostAddress() : String.valueOf(remote.host());
    return new Peer(remote.toString(), host);
  }

  @Override
  public String toString() {
    return address;
  }
}
