package io.nbnet.promql.eval;

import io.nbnet.promql.Labels;

import java.util.Arrays;

/** A series being evaluated: its labels and points in time order, appended to and read from the front. */
public final class Series {

  public Labels metric;
  long[] times;
  double[] values;
  int from;
  int to;

  public Series(Labels metric, int capacity) {
    this.metric = metric;
    this.times = new long[Math.max(1, capacity)];
    this.values = new double[Math.max(1, capacity)];
  }

  void add(long time, double value) {
    if (to == times.length) {
      times = Arrays.copyOf(times, times.length * 2);
      values = Arrays.copyOf(values, values.length * 2);
    }
    times[to] = time;
    values[to++] = value;
  }

  public int size() {
    return to - from;
  }

  public long time(int i) {
    return times[from + i];
  }

  public double value(int i) {
    return values[from + i];
  }

  void clear() {
    from = 0;
    to = 0;
  }
}
