package io.nbnet.store;

import io.nbnet.support.config.ConfigView;

/**
 * {@code saver.head}: the newest samples the saver wrote, kept in its memory as well, so that queries of
 * the last minutes (dashboards, alert rules) are answered without MySQL, as Prometheus answers from its
 * head block. It answers only while this saver is the only one writing to its database.
 *
 * @param enabled    false: every query reads MySQL
 * @param spanMillis how far back from now it keeps samples
 * @param maxBytes   its memory; past it the oldest samples go first (it then covers less than {@code spanMillis})
 */
public record HeadConfig(boolean enabled, long spanMillis, long maxBytes) {

  /** A quarter of the heap, unless set. */
  public static final HeadConfig DEFAULTS = new HeadConfig(true, 10_800_000, Runtime.getRuntime().maxMemory() / 4);

  public static HeadConfig from(ConfigView head) {
    return new HeadConfig(
      head.bool("enabled", DEFAULTS.enabled()),
      head.longValue("spanMs", DEFAULTS.spanMillis(), 60_000, 86_400_000),
      head.longValue("maxBytes", DEFAULTS.maxBytes(), 1 << 20, Long.MAX_VALUE));
  }
}
