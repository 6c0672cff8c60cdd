package io.nbnet.collector.push;

import io.nbnet.formats.Sample;
import io.nbnet.formats.SampleLimits;
import io.nbnet.formats.Tags;
import org.HdrHistogram.DoubleHistogram;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * StatsD lines ({@code name:value|type[|@rate][|#tag:v,...]}, DogStatsD tags) summed up over one
 * interval: a counter becomes {@code name.count} (sample rates applied) and {@code name.rate} per
 * second, a gauge {@code name} (its last value; {@code +n}/{@code -n} move it), a timer or histogram
 * ({@code ms}, {@code h}) {@code name.count}, {@code .mean}, {@code .min}, {@code .max} and one
 * {@code .pNN} per configured percentile. At most {@code maxSeries} series per interval: past that,
 * new ones are dropped and counted, so a flood of names cannot grow memory.
 */
final class StatsdAggregator {

  private final int maxSeries;
  private final List<Double> percentiles;
  private final Map<String, double[]> counters = new HashMap<>();
  private final Map<String, Double> gauges = new HashMap<>();
  private final Map<String, DoubleHistogram> timers = new HashMap<>();
  private long dropped;
  private long invalid;

  StatsdAggregator(int maxSeries, List<Double> percentiles) {
    this.maxSeries = maxSeries;
    this.percentiles = percentiles;
  }

  /** Reads one datagram: lines separated by newlines; a bad line is counted and skipped. */
  void add(String packet) {
    for (String line : packet.split("\n")) {
      if (!line.isBlank() && !addLine(line.trim())) {
        invalid++;
      }
    }
  }

  private boolean addLine(String line) {
    int colon = line.indexOf(':');
    int bar = line.indexOf('|');
    if (colon <= 0 || bar < colon) {
      return false;
    }
    String name = line.substring(0, colon);
    String[] parts = line.substring(bar + 1).split("\\|");
    String type = parts[0];
    double rate = 1;
    String tags = Tags.NONE;
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].startsWith("@")) {
        rate = Double.parseDouble(parts[i].substring(1));
      } else if (parts[i].startsWith("#")) {
        tags = tags(parts[i].substring(1));
      }
    }
    if (name.length() > SampleLimits.MAX_METRIC_CHARS - 6 || tags.length() > SampleLimits.MAX_TAGS_CHARS || rate <= 0 || rate > 1) {
      return false;
    }
    String valueText = line.substring(colon + 1, bar);
    double value;
    try {
      value = Double.parseDouble(valueText);
    } catch (NumberFormatException e) {
      return false;
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return false;
    }
    String key = name + "\t" + tags;
    if (!counters.containsKey(key) && !gauges.containsKey(key) && !timers.containsKey(key) && size() >= maxSeries) {
      dropped++;
      return true;
    }
    switch (type) {
      case "c" -> counters.computeIfAbsent(key, k -> new double[1])[0] += value / rate;
      case "g" -> {
        boolean relative = valueText.startsWith("+") || valueText.startsWith("-");
        gauges.merge(key, value, (old, v) -> relative ? old + v : v);
      }
      case "ms", "h", "d" -> {
        if (value < 0) {
          return false;
        }
        timers.computeIfAbsent(key, k -> new DoubleHistogram(2)).recordValue(value);
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private int size() {
    return counters.size() + gauges.size() + timers.size();
  }

  /** The interval's samples; counters and timers start again, gauges keep their value (StatsD's habit). */
  List<Sample> flush(String host, long timestampMillis, double seconds) {
    List<Sample> samples = new ArrayList<>();
    counters.forEach((key, sum) -> {
      samples.add(sample(host, timestampMillis, key, ".count", sum[0]));
      samples.add(sample(host, timestampMillis, key, ".rate", seconds > 0 ? sum[0] / seconds : 0));
    });
    gauges.forEach((key, value) -> samples.add(sample(host, timestampMillis, key, "", value)));
    timers.forEach((key, histogram) -> {
      samples.add(sample(host, timestampMillis, key, ".count", histogram.getTotalCount()));
      samples.add(sample(host, timestampMillis, key, ".mean", histogram.getMean()));
      samples.add(sample(host, timestampMillis, key, ".min", histogram.getMinValue()));
      samples.add(sample(host, timestampMillis, key, ".max", histogram.getMaxValue()));
      for (double p : percentiles) {
        samples.add(sample(host, timestampMillis, key, ".p" + (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p).replace('.', '_')),
          histogram.getValueAtPercentile(p)));
      }
    });
    counters.clear();
    timers.clear();
    return samples;
  }

  long takeDropped() {
    long n = dropped;
    dropped = 0;
    return n;
  }

  long takeInvalid() {
    long n = invalid;
    invalid = 0;
    return n;
  }

  private static Sample sample(String host, long ts, String key, String suffix, double value) {
    int tab = key.indexOf('\t');
    return Sample.numeric(host, ts, key.substring(0, tab) + suffix, key.substring(tab + 1), value);
  }

  private static String tags(String text) {
    Map<String, String> tags = new TreeMap<>();
    for (String pair : text.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int colon = pair.indexOf(':');
      tags.put(colon < 0 ? pair : pair.substring(0, colon), colon < 0 ? "" : pair.substring(colon + 1));
    }
    return Tags.of(tags);
  }
}
