package io.nbnet.wire;

import io.nbnet.support.config.ConfigView;
import io.nbnet.wire.tls.ServerTls;

import java.util.Optional;

/**
 * Settings shared by every frame server (trans, saver, bench server). The defaults are written once,
 * in {@link #defaults}; the config keys are read in {@link #from}. The defaults keep a 256 MB heap safe
 * whatever the peers do: at most {@code maxBytesInFlight} bytes of frames are held (partial ones
 * included), and no peer can keep a connection, or a frame, open for ever.
 *
 * @param host                     the address to bind
 * @param port                     the port to bind, 0 for any free one
 * @param maxFrameBytes            the largest payload accepted; a larger stated length is a protocol error
 * @param idleTimeoutMillis        how long a peer may stay silent in the middle of a frame before it is closed
 * @param idleBetweenFramesMillis  how long a connection may stay silent between frames before it is closed
 * @param frameDeadlineMillis      how long one frame may take from its first byte to its last, however its bytes trickle
 * @param maxPendingPerConnection  requests of one connection being handled at once; past it the socket is paused
 * @param maxPendingTotal          requests of all connections being handled at once; past it every socket is paused
 * @param maxBytesPerConnection    payload bytes one connection may hold (partial, queued and in progress); past it it is paused
 * @param maxBytesInFlight         payload bytes all connections of the server may hold; frames larger than
 *                                 {@link FrameMemory#LARGE_FRAME_BYTES} may use three quarters of it, so small
 *                                 frames always find room
 * @param maxConnections           connections at once; a connection past it is answered {@code ERR unavailable} and closed
 * @param unavailableReplyDelayMillis how long an {@code ERR unavailable} reply is held back: old agents resend at once, so
 *                                 an outage would otherwise cost thousands of replies a second
 * @param tls                      TLS, when the section has a {@code tls} section
 */
public record FrameServerConfig(String host, int port, int maxFrameBytes, long idleTimeoutMillis, long idleBetweenFramesMillis,
                                 long frameDeadlineMillis, int maxPendingPerConnection, int maxPendingTotal,
                                 long maxBytesPerConnection, long maxBytesInFlight, int maxConnections, long unavailableReplyDelayMillis,
                                 Optional<ServerTls> tls) {

  public static final int DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

  public FrameServerConfig {
    if (maxBytesPerConnection < maxFrameBytes || maxBytesInFlight < maxBytesPerConnection) {
      throw new IllegalArgumentException("need maxFrameBytes <= maxBytesPerConnection <= maxBytesInFlight");
    }
  }

  /** Every setting at its default, listening on {@code host:port}. */
  public static FrameServerConfig defaults(String host, int port) {
    return new FrameServerConfig(host, port, DEFAULT_MAX_FRAME_BYTES, 30_000, 300_000, 60_000, 256, 16_384,
      2L * DEFAULT_MAX_FRAME_BYTES, 24L * 1024 * 1024, 10_000, 1_000, Optional.empty());
  }

  /** Reads the frame server's keys from a component's config section. */
  public static FrameServerConfig from(ConfigView config, String defaultHost, int defaultPort) {
    FrameServerConfig d = defaults(defaultHost, defaultPort);
    int maxFrameBytes = config.integer("maxFrameBytes", d.maxFrameBytes, 1, Integer.MAX_VALUE - 64);
    long maxBytesPerConnection = config.longValue("maxBytesPerConnection", Math.max(d.maxBytesPerConnection, maxFrameBytes),
      1, Long.MAX_VALUE);
    long maxBytesInFlight = config.longValue("maxBytesInFlight", Math.max(d.maxBytesInFlight, maxBytesPerConnection), 1, Long.MAX_VALUE);
    if (maxBytesPerConnection < maxFrameBytes) {
      throw config.error("maxBytesPerConnection", "must hold at least one frame of maxFrameBytes (" + maxFrameBytes + ")");
    }
    if (maxBytesInFlight < maxBytesPerConnection) {
      throw config.error("maxBytesInFlight", "must be at least maxBytesPerConnection (" + maxBytesPerConnection + ")");
    }
    return new FrameServerConfig(
      config.string("host", d.host),
      config.integer("port", d.port, 0, 65535),
      maxFrameBytes,
      config.longValue("idleTimeoutMs", d.idleTimeoutMillis, 1, 86_400_000),
      config.longValue("idleBetweenFramesMs", d.idleBetweenFramesMillis, 1, 86_400_000),
      config.longValue("frameDeadlineMs", d.frameDeadlineMillis, 1, 86_400_000),
      config.integer("maxPendingPerConnection", d.maxPendingPerConnection, 1, 1_000_000),
      config.integer("maxPendingTotal", d.maxPendingTotal, 1, 100_000_000),
      maxBytesPerConnection,
      maxBytesInFlight,
      config.integer("maxConnections", d.maxConnections, 1, 1_000_000),
      config.longValue("unavailableReplyDelayMs", d.unavailableReplyDelayMillis, 0, 60_000),
      ServerTls.from(config));
  }

  /** The same limits on another address, without TLS: the plaintext door of a TLS server. */
  public FrameServerConfig withPlaintextListener(String newHost, int newPort) {
    return new FrameServerConfig(newHost, newPort, maxFrameBytes, idleTimeoutMillis, idleBetweenFramesMillis, frameDeadlineMillis,
      maxPendingPerConnection, maxPendingTotal, maxBytesPerConnection, maxBytesInFlight, maxConnections, unavailableReplyDelayMillis,
      Optional.empty());
  }

  public FrameServerConfig withTls(Optional<ServerTls> newTls) {
    return new FrameServerConfig(host, port, maxFrameBytes, idleTimeoutMillis, idleBetweenFramesMillis, frameDeadlineMillis,
      maxPendingPerConnection, maxPendingTotal, maxBytesPerConnection, maxBytesInFlight, maxConnections, unavailableReplyDelayMillis, newTls);
  }

  public FrameServerConfig withPort(int newPort) {
    return new FrameServerConfig(host, newPort, maxFrameBytes, idleTimeoutMillis, idleBetweenFramesMillis, frameDeadlineMillis,
      maxPendingPerConnection, maxPendingTotal, maxBytesPerConnection, maxBytesInFlight, maxConnections, unavailableReplyDelayMillis, tls);
  }

  /** A different frame size limit; the byte budgets grow with it when they would no longer hold one frame. */
  public FrameServerConfig withMaxFrameBytes(int bytes) {
    long perConnection = Math.max(maxBytesPerConnection, bytes);
    return new FrameServerConfig(host, port, bytes, idleTimeoutMillis, idleBetweenFramesMillis, frameDeadlineMillis,
      maxPendingPerConnection, maxPendingTotal, perConnection, Math.max(maxBytesInFlight, perConnection), maxConnections, unavailableReplyDelayMillis,
      tls);
  }

  public FrameServerConfig withIdleTimeoutMillis(long millis) {
    return new FrameServerConfig(host, port, maxFrameBytes, millis, idleBetweenFramesMillis, frameDeadlineMillis,
      maxPendingPerConnection, maxPendingTotal, maxBytesPerConnection, maxBytesInFlight, maxConnections, unavailableReplyDelayMillis, tls);
  }

  public FrameServerConfig withMaxPendingPerConnection(int requests) {
    return new FrameServerConfig(host, port, maxFrameBytes, idleTimeoutMillis, idleBetweenFramesMillis, frameDeadlineMillis,
      requests, maxPendingTotal, maxBytesPerConnection, maxBytesInFlight, maxConnections, unavailableReplyDelayMillis, tls);
  }

  public FrameServerConfig withTimeouts(long idleMillis, long idleBetweenFramesMillis, long frameDeadlineMillis) {
    return new FrameServerConfig(host, port, maxFrameBytes, idleMillis, idleBetweenFramesMillis, frameDeadlineMillis,
      maxPendingPerConnection, maxPendingTotal, maxBytesPerConnection, maxBytesInFlight, maxConnections, unavailableReplyDelayMillis, tls);
  }

  public FrameServerConfig withUnavailableReplyDelayMillis(long millis) {
    return new FrameServerConfig(host, port, maxFrameBytes, idleTimeoutMillis, idleBetweenFramesMillis, frameDeadlineMillis,
      maxPendingPerConnection, maxPendingTotal, maxBytesPerConnection, maxBytesInFlight, maxConnections, millis, tls);
  }

  public FrameServerConfig withMemory(long perConnection, long inFlight, int connections) {
    return new FrameServerConfig(host, port, maxFrameBytes, idleTimeoutMillis, idleBetweenFramesMillis, frameDeadlineMillis,
      maxPendingPerConnection, maxPendingTotal, perConnection, inFlight, connections, unavailableReplyDelayMillis, tls);
  }
}
