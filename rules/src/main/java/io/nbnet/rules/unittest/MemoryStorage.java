package io.nbnet.rules.unittest;

import io.nbnet.promql.Labels;
import io.nbnet.promql.Matcher;
import io.nbnet.promql.SeriesSource;
import io.nbnet.promql.StoredSeries;
import io.nbnet.rules.RuleException;
import io.nbnet.rules.SampleAppender;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Series in memory for rule unit tests, refusing appends as Prometheus's head does: a sample older than
 * its series's newest is out of order; one at the same time with another value is a duplicate.
 */
final class MemoryStorage implements SeriesSource, SampleAppender {

  private final Map<Labels, Series> series = new LinkedHashMap<>();

  private static final class Series {
    long[] times = new long[8];
    double[] values = new double[8];
    int size;
  }

  @Override
  public void append(Labels labels, long timeMillis, double value) {
    Series s = series.computeIfAbsent(labels, l -> new Series());
    if (s.size > 0) {
      long last = s.times[s.size - 1];
      if (timeMillis < last) {
        throw new RuleException("out of order sample");
      }
      if (timeMillis == last) {
        if (Double.doubleToRawLongBits(value) != Double.doubleToRawLongBits(s.values[s.size - 1])) {
          throw new RuleException("duplicate sample for timestamp");
        }
        return;
      }
    }
    if (s.size == s.times.length) {
      s.times = Arrays.copyOf(s.times, s.size * 2);
      s.values = Arrays.copyOf(s.values, s.size * 2);
    }
    s.times[s.size] = timeMillis;
    s.values[s.size] = value;
    s.size++;
  }

  @Override
  public List<StoredSeries> select(List<Matcher> matchers, long start, long end) {
    List<StoredSeries> selected = new ArrayList<>();
    for (Map.Entry<Labels, Series> entry : series.entrySet()) {
      if (matchers.stream().allMatch(matcher -> matcher.matches(entry.getKey()))) {
        Series s = entry.getValue();
        int from = lowerBound(s, start);
        int to = lowerBound(s, end + 1);
        if (to > from) {
          selected.add(new StoredSeries(entry.getKey(), Arrays.copyOfRange(s.times, from, to), Arrays.copyOfRange(s.values, from, to)));
        }
      }
    }
    selected.sort((a, b) -> a.labels().compareTo(b.labels()));
    return selected;
  }

  private static int lowerBound(Series s, long time) {
    int low = 0;
    int high = s.size;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (s.times[mid] < time) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
