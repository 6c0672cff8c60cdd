package io.nbnet.store;

import java.util.function.Function;

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
  /** What a reader made of the series (its labels, in a query's terms), kept with it: a head's series are read again and again. */
  private volatile Object derived;

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

  /** {@code make}'s value for this series, made once (its reader always makes the same kind of value). */
  @SuppressWarnings("unchecked")
  public <T> T derived(Function<SeriesRef, T> make) {
    Object known = derived;
    if (known == null) {
      known = make.apply(this);
      derived = known;
    }
    return (T) known;
  }

  @Override
  public String toString() {
    return host + " " + metric + (tags.isEmpty() ? "" : "{" + tags + "}");
  }
}
