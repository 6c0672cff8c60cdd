package io.nbnet.promql.testing;

import io.nbnet.promql.Labels;
import io.nbnet.promql.Matcher;
import io.nbnet.promql.SeriesSource;
import io.nbnet.promql.StoredSeries;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Series in memory, answering selectors as Prometheus's storage does: only the samples within the asked range. */
public final class MemorySource implements SeriesSource {

  private final Map<Labels, StoredSeries> series = new LinkedHashMap<>();

  /** Adds samples to a series (times ascending, after any it has). */
  public void add(Labels labels, long[] times, double[] values) {
    StoredSeries existing = series.get(labels);
    if (existing == null) {
      series.put(labels, new StoredSeries(labels, times, values));
      return;
    }
    long[] allTimes = Arrays.copyOf(existing.times(), existing.times().length + times.length);
    double[] allValues = Arrays.copyOf(existing.values(), existing.values().length + values.length);
    System.arraycopy(times, 0, allTimes, existing.times().length, times.length);
    System.arraycopy(values, 0, allValues, existing.values().length, values.length);
    series.put(labels, new StoredSeries(labels, allTimes, allValues));
  }

  public void clear() {
    series.clear();
  }

  @Override
  public List<StoredSeries> select(List<Matcher> matchers, long start, long end) {
    List<StoredSeries> selected = new ArrayList<>();
    for (StoredSeries stored : series.values()) {
      if (matchers.stream().allMatch(matcher -> matcher.matches(stored.labels()))) {
        int from = lowerBound(stored.times(), start);
        int to = lowerBound(stored.times(), end + 1);
        if (to > from) {
          selected.add(new StoredSeries(stored.labels(), Arrays.copyOfRange(stored.times(), from, to),
            Arrays.copyOfRange(stored.values(), from, to)));
        }
      }
    }
    selected.sort((a, b) -> a.labels().compareTo(b.labels()));
    return selected;
  }

  private static int lowerBound(long[] times, long time) {
    int i = Arrays.binarySearch(times, time);
    if (i < 0) {
      return -i - 1;
    }
    while (i > 0 && times[i - 1] == time) {
      i--;
    }
    return i;
  }
}
