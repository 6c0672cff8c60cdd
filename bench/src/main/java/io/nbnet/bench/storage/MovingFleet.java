package io.nbnet.bench.storage;

import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fleet of {@code hosts} hosts sending the template every {@code intervalMillis}, with values that
 * move as real ones do: totals stay, percentages wander within 0..100, rates are whole counts of
 * bytes or operations divided by a measured interval a little off ten seconds (so they carry every
 * digit a real collector's do, and idle devices sit at 0), byte gauges move by pages, loads by
 * hundredths, counts by a few, uptimes by the interval, error counters are mostly 0. Each host starts
 * from its own offsets; the same host and interval always give the same values.
 */
final class MovingFleet {

  private final FleetTemplate template;
  private final int hosts;
  private final long startMillis;
  private final long intervalMillis;
  private final String[] names;
  /** Per host and series: the value of the last interval generated, walked forward one interval at a time. */
  private final double[][] state;
  private final long[] stateInterval;

  MovingFleet(FleetTemplate template, int hosts, long startMillis, long intervalMillis) {
    this.template = template;
    this.hosts = hosts;
    this.startMillis = startMillis;
    this.intervalMillis = intervalMillis;
    this.names = new String[hosts];
    this.state = new double[hosts][template.series().size()];
    this.stateInterval = new long[hosts];
    for (int h = 0; h < hosts; h++) {
      names[h] = String.format("host-%05d.dc1.example.net", h);
      SplittableRandom random = new SplittableRandom(h);
      for (int s = 0; s < template.series().size(); s++) {
        state[h][s] = initial(template.series().get(s), random);
      }
      stateInterval[h] = -1;
    }
  }

  int hosts() {
    return hosts;
  }

  int seriesPerHost() {
    return template.series().size();
  }

  String host(int host) {
    return names[host];
  }

  List<FleetTemplate.Series> series() {
    return template.series();
  }

  /** The time of a host's samples in an interval: the collectors of a fleet do not tick at the same millisecond. */
  long timestamp(int host, long interval) {
    return startMillis + interval * intervalMillis + (host * 7919L) % 1_000;
  }

  /** The first interval of host {@code host} whose samples are at or after {@code ts}. */
  long intervalAt(int host, long ts) {
    return Math.max(0, -Math.floorDiv(timestamp(host, 0) - ts, intervalMillis));
  }

  long startMillis() {
    return startMillis;
  }

  /**
   * The samples of host {@code host} in interval {@code interval}; intervals of one host must be asked
   * for in order (each moves on from the one before).
   */
  List<Sample> samples(int host, long interval) {
    if (interval != stateInterval[host] + 1) {
      throw new IllegalStateException("host " + host + ": interval " + interval + " asked after " + stateInterval[host]);
    }
    stateInterval[host] = interval;
    SplittableRandom random = new SplittableRandom(host * 1_000_003L + interval);
    long ts = timestamp(host, interval);
    List<Sample> samples = new ArrayList<>(template.series().size());
    for (int s = 0; s < template.series().size(); s++) {
      FleetTemplate.Series series = template.series().get(s);
      double value = move(series, state[host][s], random);
      state[host][s] = value;
      samples.add(Sample.numeric(names[host], ts, series.metric(), series.tags(), value));
    }
    return samples;
  }

  Buffer frame(int host, long interval) {
    return NativeFormat.encode("collector@" + names[host], interval, samples(host, interval));
  }

  private static double initial(FleetTemplate.Series series, SplittableRandom random) {
    return switch (series.kind()) {
      case CONSTANT, UPTIME -> series.value() + (series.kind() == FleetTemplate.Kind.UPTIME ? random.nextInt(1_000_000) : 0);
      case PERCENT -> Math.min(100, Math.max(0, series.value() + random.nextDouble(-5, 5)));
      case RATE -> random.nextInt(4) == 0 ? 0 : Math.max(0, series.value()) + random.nextInt(1_000_000);
      case BYTES -> Math.max(0, Math.round(series.value() * random.nextDouble(0.5, 1.5) / 4096) * 4096.0);
      case LOAD -> Math.round(random.nextDouble(0, 4) * 100) / 100.0;
      case COUNT -> random.nextInt(300);
      case ERRORS -> 0;
    };
  }

  private double move(FleetTemplate.Series series, double last, SplittableRandom random) {
    return switch (series.kind()) {
      case CONSTANT -> last;
      case PERCENT -> Math.min(100, Math.max(0, last + random.nextGaussian() * 2 + (random.nextInt(5) == 0 ? random.nextDouble(-0.3, 0.3) : 0)));
      case RATE -> last == 0 && random.nextInt(10) > 0 ? 0
        : Math.max(0, Math.round(last * (intervalMillis / 1000.0) * random.nextDouble(0.8, 1.2) + random.nextInt(4096)))
          / (intervalMillis / 1000.0 + random.nextDouble(-0.002, 0.002));
      case BYTES -> Math.max(0, last + 4096.0 * (random.nextInt(41) - 20));
      case LOAD -> Math.max(0, Math.round((last + random.nextDouble(-0.08, 0.08)) * 100) / 100.0);
      case COUNT -> Math.max(0, last + random.nextInt(5) - 2);
      case UPTIME -> Math.round((last + intervalMillis / 1000.0 + random.nextDouble(0, 0.02)) * 100) / 100.0;
      case ERRORS -> random.nextInt(200) == 0 ? random.nextInt(3) : 0;
    };
  }
}
