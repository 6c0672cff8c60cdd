package io.nbnet.store.staging;

import java.util.ArrayList;
import java.util.List;

/**
 * The samples of one frame for one host, resolved to ids and ready for the staging table, in key
 * order (time, then series). Kept in parallel arrays: a large frame makes a hundred thousand of them.
 */
public final class StagedPart {

  private final String host;
  private final int hostId;
  private final long[] ts;
  private final int[] series;
  private final double[] values;
  private final String[] texts;
  private final String[] metrics;
  private final String[] tags;
  private int size;

  StagedPart(String host, int hostId, int capacity) {
    this.host = host;
    this.hostId = hostId;
    this.ts = new long[capacity];
    this.series = new int[capacity];
    this.values = new double[capacity];
    this.texts = new String[capacity];
    this.metrics = new String[capacity];
    this.tags = new String[capacity];
  }

  /** Adds a sample; {@code text} is null for a numeric one; metric and tags name the series in log lines. */
  void add(long sampleTs, int seriesId, double value, String text, String metric, String tagText) {
    ts[size] = sampleTs;
    series[size] = seriesId;
    values[size] = value;
    texts[size] = text;
    metrics[size] = metric;
    tags[size] = tagText;
    size++;
  }

  /** Puts the rows in key order (time, then series id); most frames already are. */
  StagedPart sorted() {
    if (inKeyOrder()) {
      return this;
    }
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> ts[a] != ts[b] ? Long.compare(ts[a], ts[b]) : Integer.compare(series[a], series[b]));
    StagedPart sorted = new StagedPart(host, hostId, size);
    for (int i : order) {
      sorted.add(ts[i], series[i], values[i], texts[i], metrics[i], tags[i]);
    }
    return sorted;
  }

  /** Rows {@code from} (inclusive) to {@code to} (exclusive) as a part of their own, in the same order. */
  StagedPart slice(int from, int to) {
    StagedPart slice = new StagedPart(host, hostId, to - from);
    for (int i = from; i < to; i++) {
      slice.add(ts[i], series[i], values[i], texts[i], metrics[i], tags[i]);
    }
    return slice;
  }

  private boolean inKeyOrder() {
    for (int i = 1; i < size; i++) {
      if (ts[i - 1] > ts[i] || ts[i - 1] == ts[i] && series[i - 1] > series[i]) {
        return false;
      }
    }
    return true;
  }

  public String host() {
    return host;
  }

  public int hostId() {
    return hostId;
  }

  public int size() {
    return size;
  }

  public long ts(int row) {
    return ts[row];
  }

  public int series(int row) {
    return series[row];
  }

  public double value(int row) {
    return values[row];
  }

  public String text(int row) {
    return texts[row];
  }

  public String metric(int row) {
    return metrics[row];
  }

  public String tags(int row) {
    return tags[row];
  }

  boolean isText(int row) {
    return texts[row] != null;
  }

  /** The series as a person reads it: {@code metric{tags}}. */
  String name(int row) {
    return tags[row].isEmpty() ? metrics[row] : metrics[row] + "{" + tags[row] + "}";
  }

  public long newestTs() {
    long newest = Long.MIN_VALUE;
    for (int i = 0; i < size; i++) {
      newest = Math.max(newest, ts[i]);
    }
    return newest;
  }

  List<Long> distinctTimes() {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (times.isEmpty() || times.get(times.size() - 1) != ts[i]) {
        times.add(ts[i]);
      }
    }
    return times;
  }
}
