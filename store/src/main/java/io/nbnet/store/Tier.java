package io.nbnet.store;

import io.nbnet.store.tables.Windows;

/** What a query reads, finest first: the samples as stored, the 5-minute rollups, the hour rollups. */
public enum Tier {
  RAW("raw", 1_000), FIVE_MINUTES("5m", Windows.WINDOW_MILLIS), HOUR("1h", Windows.HOUR_MILLIS);

  private final String label;
  private final long resolutionMillis;

  Tier(String label, long resolutionMillis) {
    this.label = label;
    this.resolutionMillis = resolutionMillis;
  }

  public String label() {
    return label;
  }

  /** The smallest step this tier answers, and the unit its steps are a multiple of. */
  public long resolutionMillis() {
    return resolutionMillis;
  }

  /** The coarsest tier whose buckets fit in a step: it reads the fewest rows. */
  public static Tier forStep(long stepMillis) {
    if (stepMillis >= HOUR.resolutionMillis) {
      return HOUR;
    }
    return stepMillis >= FIVE_MINUTES.resolutionMillis ? FIVE_MINUTES : RAW;
  }
}
