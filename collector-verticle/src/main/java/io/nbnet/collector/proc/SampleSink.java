package io.nbnet.collector.proc;

import io.nbnet.formats.Sample;

import java.util.ArrayList;
import java.util.List;

/** The samples of one interval: one host, one timestamp. */
public final class SampleSink {

  private final String host;
  private final long timestampMillis;
  private final List<Sample> samples = new ArrayList<>();

  SampleSink(String host, long timestampMillis) {
    this.host = host;
    this.timestampMillis = timestampMillis;
  }

  public void add(String metric, String tags, double value) {
    if (!Double.isNaN(value) && !Double.isInfinite(value)) {
      samples.add(Sample.numeric(host, timestampMillis, metric, tags, value));
    }
  }

  int size() {
    return samples.size();
  }

  /** Drops what a failing source added before it failed: a family is sampled whole or not at all. */
  void truncate(int size) {
    samples.subList(size, samples.size()).clear();
  }

  List<Sample> samples() {
    return samples;
  }
}
