package io.nbnet.store;

import io.nbnet.support.config.ConfigView;

import java.util.List;

/**
 * How long each tier is kept, in days (0 keeps it for ever), and how the day partitions are kept.
 *
 * @param rawDays         raw samples (and text values)
 * @param fiveMinuteDays  5-minute rollups
 * @param hourDays        1-hour rollups (dropped by whole months)
 * @param partitionsAhead day partitions kept ready after today
 * @param checkMillis     how often partitions are created and dropped
 */
public record RetentionConfig(int rawDays, int fiveMinuteDays, int hourDays, int partitionsAhead, long checkMillis) {

  /**
   * Reads the tiers. An older nbnet had one {@code days} for everything: it still applies to every
   * tier not set, so an install saying {@code days: 0} keeps everything until its operator sets the tiers.
   */
  public static RetentionConfig from(ConfigView config, List<String> deprecations) {
    int days = config.integer("days", 0, 0, 100_000);
    if (config.has("days")) {
      deprecations.add(config.path() + ".days applies to every tier not set; set rawDays, fiveMinuteDays and hourDays instead");
    }
    return new RetentionConfig(
      config.integer("rawDays", days, 0, 100_000),
      config.integer("fiveMinuteDays", days, 0, 100_000),
      config.integer("hourDays", days, 0, 100_000),
      config.integer("partitionsAhead", 3, 1, 366),
      config.longValue("checkIntervalMs", 3_600_000, 1_000, 86_400_000));
  }

  /**
   * The finest tier that still holds data from {@code fromMillis}, as its retention goes at
   * {@code nowMillis}: the hour tier when none does.
   */
  public Tier finestHolding(long fromMillis, long nowMillis) {
    if (holds(rawDays, fromMillis, nowMillis)) {
      return Tier.RAW;
    }
    return holds(fiveMinuteDays, fromMillis, nowMillis) ? Tier.FIVE_MINUTES : Tier.HOUR;
  }

  private static boolean holds(int days, long fromMillis, long nowMillis) {
    return days == 0 || fromMillis >= nowMillis - days * 86_400_000L;
  }

  /** The longest any data stays; 0 when some tier keeps it for ever. */
  public int longestDays() {
    return rawDays == 0 || fiveMinuteDays == 0 || hourDays == 0 ? 0 : Math.max(rawDays, Math.max(fiveMinuteDays, hourDays));
  }

  public String describe() {
    return "raw " + describe(rawDays) + ", 5-minute rollups " + describe(fiveMinuteDays) + ", 1-hour rollups " + describe(hourDays);
  }

  private static String describe(int days) {
    return days == 0 ? "kept for ever" : days + " days";
  }
}
