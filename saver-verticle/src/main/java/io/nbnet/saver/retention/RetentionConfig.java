package io.nbnet.saver.retention;

import io.nbnet.support.config.ConfigView;

/**
 * Day partitions of the native sample tables.
 *
 * @param days            days of samples kept, today included; older day partitions are dropped; 0 keeps everything
 * @param partitionsAhead day partitions kept ready after today
 * @param checkMillis     how often partitions are created and dropped
 */
public record RetentionConfig(int days, int partitionsAhead, long checkMillis) {

  public static RetentionConfig from(ConfigView config) {
    return new RetentionConfig(
      config.integer("days", 0, 0, 100_000),
      config.integer("partitionsAhead", 3, 1, 366),
      config.longValue("checkIntervalMs", 3_600_000, 1_000, 86_400_000));
  }
}
