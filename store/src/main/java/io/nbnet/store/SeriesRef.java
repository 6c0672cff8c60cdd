package io.nbnet.store;

/**
 * A series found by {@link StoreReader#find}, to read its tiers with: a host's metric with one set of
 * tags. Its ids are the store's own.
 */
public final class SeriesRef {

  final int hostId;
  final int seriesId;
  private final String host;
  private final String metric;
  private final String tags;

  SeriesRef(int hostId, int seriesId, String host, String metric, String tags) {
    this.hostId = hostId;
    this.seriesId = seriesId;
    this.host = host;
    this.metric = metric;
    this.tags = tags;
  }

  public String host() {
    return host;
  }

  public String metric() {
    return metric;
  }

  /** Canonical tags, empty when none. */
  public String tags() {
    return tags;
  }

  @Override
  public String toString() {
    return host + " " + metric + (tags.isEmpty() ? "" : "{" + tags + "}");
  }
}
