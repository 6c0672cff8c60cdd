package io.nbnet.wire;

import io.nbnet.support.config.ConfigView;

/**
 * Settings shared by every frame server (trans, saver, bench server).
 *
 * @param host                     the address to bind
 * @param port                     the port to bind, 0 for any free one
 * @param maxFrameBytes            the largest payload accepted; a larger stated length is a protocol error
 * @param idleTimeoutMillis        how long a peer may stay silent in the middle of a frame before it is closed
 * @param maxPendingPerConnection  requests of one connection being handled at once; past it the socket is paused
 * @param maxPendingTotal          requests of all connections being handled at once; past it every socket is paused
 */
public record FrameServerOptions(String host, int port, int maxFrameBytes, long idleTimeoutMillis,
                                 int maxPendingPerConnection, int maxPendingTotal) {

  public FrameServerOptions(String host, int port, int maxFrameBytes, long idleTimeoutMillis, int maxPendingPerConnection) {
    this(host, port, maxFrameBytes, idleTimeoutMillis, maxPendingPerConnection, 100_000);
  }

  public static final int DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

  public static final String[] KEYS = {"host", "port", "maxFrameBytes", "idleTimeoutMs", "maxPendingPerConnection", "maxPendingTotal"};

  /** Reads the keys listed in {@link #KEYS} from a component's config section. */
  public static FrameServerOptions from(ConfigView config, String defaultHost, int defaultPort) {
    return new FrameServerOptions(
      config.string("host", defaultHost),
      config.integer("port", defaultPort, 0, 65535),
      config.integer("maxFrameBytes", DEFAULT_MAX_FRAME_BYTES, 1, Integer.MAX_VALUE - 64),
      config.longValue("idleTimeoutMs", 30_000, 1, Long.MAX_VALUE),
      config.integer("maxPendingPerConnection", 256, 1, 1_000_000),
      config.integer("maxPendingTotal", 16_384, 1, 100_000_000));
  }

  public FrameServerOptions withPort(int newPort) {
    return new FrameServerOptions(host, newPort, maxFrameBytes, idleTimeoutMillis, maxPendingPerConnection, maxPendingTotal);
  }
}
