package io.nbnet.collector.ship;

import io.nbnet.support.config.ConfigView;

/**
 * How frames are kept and sent until acknowledged.
 *
 * @param maxQueuedFrames   frames kept while the next hop is away; past it the oldest is dropped and counted
 * @param maxInFlight       frames sent and not yet acknowledged
 * @param replyTimeoutMillis how long to wait for a reply before the connection is given up
 * @param maxBackoffMillis  the longest wait between reconnection attempts
 */
public record ShipperConfig(int maxQueuedFrames, int maxInFlight, long replyTimeoutMillis,
                             long initialBackoffMillis, long maxBackoffMillis, int maxFrameBytes) {

  public static ShipperConfig from(ConfigView config) {
    return new ShipperConfig(
      config.integer("maxQueuedFrames", 10_000, 1, 10_000_000),
      config.integer("maxInFlight", 8, 1, 100_000),
      config.longValue("replyTimeoutMs", 30_000, 10, 3_600_000),
      config.longValue("initialBackoffMs", 250, 1, 3_600_000),
      config.longValue("maxBackoffMs", 10_000, 1, 3_600_000),
      config.integer("maxFrameBytes", 4 * 1024 * 1024, 64, Integer.MAX_VALUE - 64));
  }
}
