package io.nbnet.promql;

import java.util.List;
import java.util.Map;

/**
 * A source holding what {@link Engine#selections} said a query reads, fetched beforehand (a storage that
 * can only be read asynchronously fetches first, then evaluates).
 */
public final class PrefetchedSource implements SeriesSource {

  private final Map<String, List<StoredSeries>> fetched;

  /** @param fetched by {@link Selection#key()} */
  public PrefetchedSource(Map<String, List<StoredSeries>> fetched) {
    this.fetched = fetched;
  }

  @Override
  public List<StoredSeries> select(List<Matcher> matchers, long start, long end) {
    List<StoredSeries> series = fetched.get(new Selection(matchers, start, end).key());
    if (series == null) {
      throw new IllegalStateException("not fetched: " + new Selection(matchers, start, end).key());
    }
    return series;
  }
}
