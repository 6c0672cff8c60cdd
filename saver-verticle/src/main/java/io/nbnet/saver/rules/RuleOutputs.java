package io.nbnet.saver.rules;

import io.nbnet.promql.Labels;
import io.nbnet.promql.Matcher;
import io.nbnet.promql.SeriesSource;
import io.nbnet.promql.StoredSeries;
import io.nbnet.rules.RuleException;
import io.nbnet.rules.SampleAppender;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the rules gave lately, in memory: the next rule of a round, and the next round, read it at once
 * (as Prometheus's rules read its head), while the same samples go to the store in the background.
 * Reads merge it over the store's series; points older than {@code keepMillis} before the newest are
 * dropped. Thread-safe: groups evaluate on worker threads.
 */
final class RuleOutputs implements SampleAppender {

  private record Point(long time, double value) {
  }

  private final long keepMillis;
  /** By metric name, then labels: a selector names its metric, so a read looks at that name's series only. */
  private final Map<String, Map<Labels, Deque<Point>>> series = new HashMap<>();

  RuleOutputs(long keepMillis) {
    this.keepMillis = keepMillis;
  }

  @Override
  public synchronized void append(Labels labels, long timeMillis, double value) {
    Deque<Point> points = series.computeIfAbsent(labels.get(Labels.METRIC_NAME), name -> new HashMap<>())
      .computeIfAbsent(labels, l -> new ArrayDeque<>());
    Point last = points.peekLast();
    if (last != null && timeMillis < last.time()) {
      throw new RuleException("out of order sample");
    }
    if (last != null && timeMillis == last.time()) {
      if (Double.doubleToRawLongBits(value) != Double.doubleToRawLongBits(last.value())) {
        throw new RuleException("duplicate sample for timestamp");
      }
      return;
    }
    points.addLast(new Point(timeMillis, value));
    while (points.peekFirst().time() < timeMillis - keepMillis) {
      points.removeFirst();
    }
  }

  /** Drops series whose newest point is older than {@code keepMillis} before {@code nowMillis}. */
  synchronized void forgetBefore(long nowMillis) {
    for (Iterator<Map<Labels, Deque<Point>>> byName = series.values().iterator(); byName.hasNext(); ) {
      Map<Labels, Deque<Point>> named = byName.next();
      named.values().removeIf(points -> points.isEmpty() || points.peekLast().time() < nowMillis - keepMillis);
      if (named.isEmpty()) {
        byName.remove();
      }
    }
  }

  /** {@code store}'s series with these in memory merged in (at the same time, the memory's value). */
  SeriesSource over(SeriesSource store) {
    return (matchers, start, end) -> merge(store.select(matchers, start, end), select(matchers, start, end));
  }

  private synchronized List<StoredSeries> select(List<Matcher> matchers, long start, long end) {
    List<StoredSeries> selected = new ArrayList<>();
    String name = matchers.stream().filter(m -> m.type() == Matcher.Type.EQUAL && m.name().equals(Labels.METRIC_NAME))
      .map(Matcher::value).findFirst().orElse(null);
    List<Map<Labels, Deque<Point>>> candidates = name != null ? List.of(series.getOrDefault(name, Map.of()))
      : List.copyOf(series.values());
    candidates.forEach(named -> named.forEach((labels, points) -> {
      if (matchers.stream().allMatch(m -> m.matches(labels))) {
        long[] times = points.stream().mapToLong(Point::time).filter(t -> t >= start && t <= end).toArray();
        if (times.length > 0) {
          double[] values = points.stream().filter(p -> p.time() >= start && p.time() <= end).mapToDouble(Point::value).toArray();
          selected.add(new StoredSeries(labels, times, values));
        }
      }
    }));
    return selected;
  }

  private static List<StoredSeries> merge(List<StoredSeries> stored, List<StoredSeries> memory) {
    if (memory.isEmpty()) {
      return stored;
    }
    Map<Labels, StoredSeries> merged = new TreeMap<>();
    stored.forEach(s -> merged.put(s.labels(), s));
    for (StoredSeries recent : memory) {
      StoredSeries old = merged.get(recent.labels());
      merged.put(recent.labels(), old == null ? recent : mergePoints(old, recent));
    }
    return new ArrayList<>(merged.values());
  }

  private static StoredSeries mergePoints(StoredSeries old, StoredSeries recent) {
    TreeMap<Long, Double> points = new TreeMap<>();
    for (int i = 0; i < old.times().length; i++) {
      points.put(old.times()[i], old.values()[i]);
    }
    for (int i = 0; i < recent.times().length; i++) {
      points.put(recent.times()[i], recent.values()[i]);
    }
    long[] times = points.keySet().stream().mapToLong(Long::longValue).toArray();
    double[] values = points.values().stream().mapToDouble(Double::doubleValue).toArray();
    return new StoredSeries(old.labels(), times, Arrays.copyOf(values, values.length));
  }
}
