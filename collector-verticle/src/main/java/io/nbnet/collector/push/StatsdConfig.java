package io.nbnet.collector.push;

import io.nbnet.support.config.ConfigView;

import java.util.List;

/**
 * {@code collector.push.statsd}: StatsD over UDP, off unless {@code enabled}, loopback by default.
 *
 * @param maxSeries   distinct series held per interval; new ones past it are dropped and counted
 * @param percentiles the timers' percentiles written each interval
 */
public record StatsdConfig(boolean enabled, String host, int port, int maxSeries, List<Double> percentiles) {

  public static StatsdConfig from(ConfigView push) {
    ConfigView statsd = push.section("statsd");
    return new StatsdConfig(statsd.bool("enabled", false), statsd.string("host", "127.0.0.1"), statsd.integer("port", 8125, 0, 65535),
      statsd.integer("maxSeries", 10_000, 1, 1_000_000), statsd.doubles("percentiles", List.of(50.0, 90.0, 99.0), 0.001, 100));
  }
}
