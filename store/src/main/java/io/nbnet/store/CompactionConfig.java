package io.nbnet.store;

import io.nbnet.support.config.ConfigView;

/**
 * When windows are compacted.
 *
 * @param graceMillis how long after a window's end the fleet's sample times must have moved on before it is compacted
 * @param quietMillis when the fleet's sample times have not moved for this long (the fleet stopped, or a
 *                    replay ended), windows close by the saver's clock instead
 * @param checkMillis how often the compactor looks for windows to compact
 */
public record CompactionConfig(long graceMillis, long quietMillis, long checkMillis) {

  public static CompactionConfig from(ConfigView config) {
    return new CompactionConfig(
      config.longValue("graceMs", 60_000, 0, 3_600_000),
      config.longValue("quietMs", 120_000, 0, 86_400_000),
      config.longValue("checkIntervalMs", 10_000, 10, 600_000));
  }
}
