package io.nbnet.rules.unittest;

import io.nbnet.promql.Engine;
import io.nbnet.promql.Labels;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A test group's input series, handed to the storage up to each evaluation time as promtool's lazy loader does. */
final class LazyLoader {

  private final MemoryStorage storage = new MemoryStorage();
  private final Map<Labels, Pending> pending = new LinkedHashMap<>();

  /** One series's samples not yet in the storage: those from {@code next} on. */
  private static final class Pending {
    final long[] times;
    final double[] values;
    int next;

    Pending(long[] times, double[] values) {
      this.times = times;
      this.values = values;
    }
  }

  LazyLoader(TestFile.TestGroup test) {
    for (TestFile.InputSeries input : test.inputSeries()) {
      Labels labels = Engine.parseMetric(input.series());
      List<Double> values = SeriesValues.parse(input.values());
      int present = (int) values.stream().filter(v -> v != null).count();
      long[] times = new long[present];
      double[] kept = new double[present];
      int n = 0;
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) != null) {
          times[n] = i * test.intervalMillis();
          kept[n++] = values.get(i);
        }
      }
      // a series written twice: the later one counts, as in promtool
      pending.put(labels, new Pending(times, kept));
    }
  }

  MemoryStorage storage() {
    return storage;
  }

  void appendTill(long timeMillis) {
    pending.forEach((labels, series) -> {
      while (series.next < series.times.length && series.times[series.next] <= timeMillis) {
        storage.append(labels, series.times[series.next], series.values[series.next]);
        series.next++;
      }
    });
  }
}
