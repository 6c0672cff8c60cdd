package io.nbnet.store;

import io.nbnet.support.config.ConfigView;

/**
 * {@code saver.limits}: how many series one careless or hostile sender may make, and how far ahead of
 * the saver's clock a sample may be. A frame that would pass a limit is refused whole (nothing of it
 * is stored) with a message naming the limit.
 *
 * @param maxSeriesPerHost             series one host may have (a big node has a few thousand)
 * @param maxNewSeriesPerHostPerMinute series a host may add within a minute
 * @param maxSeries                    series in the whole dictionary
 * @param maxFutureMs                  a sample further ahead of the saver's clock (a clock years off, a time in the wrong unit)
 */
public record LimitsConfig(int maxSeriesPerHost, int maxNewSeriesPerHostPerMinute, long maxSeries, long maxFutureMs) {

  public static final LimitsConfig DEFAULTS = new LimitsConfig(20_000, 20_000, 10_000_000, 600_000);

  public static LimitsConfig from(ConfigView limits) {
    return new LimitsConfig(
      limits.integer("maxSeriesPerHost", DEFAULTS.maxSeriesPerHost(), 1, 100_000_000),
      limits.integer("maxNewSeriesPerHostPerMinute", DEFAULTS.maxNewSeriesPerHostPerMinute(), 1, 100_000_000),
      limits.longValue("maxSeries", DEFAULTS.maxSeries(), 1, 4_000_000_000L),
      limits.longValue("maxFutureMs", DEFAULTS.maxFutureMs(), 0, 366L * 86_400_000));
  }
}
