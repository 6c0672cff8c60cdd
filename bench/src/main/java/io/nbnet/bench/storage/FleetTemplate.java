package io.nbnet.bench.storage;

import io.nbnet.collector.proc.HostSampler;
import io.nbnet.formats.Sample;
import io.nbnet.formats.Tags;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one host sends per interval, recorded from the real collector on this machine: its metric
 * names, tags and values, sampled twice a second apart (the second reading has the rates). A machine
 * of a real fleet has more disks, interfaces and filesystems than a test VM: the families of those
 * are widened to {@code devices} of each, named like the real ones, so a host sends what a typical
 * server's collector sends.
 */
record FleetTemplate(List<Series> series) {

  /** One series of the template: its name and what kind of value it carries. */
  record Series(String metric, String tags, double value, Kind kind) {
  }

  /** How a series moves from one interval to the next, judged by its metric name. */
  enum Kind { CONSTANT, PERCENT, RATE, BYTES, LOAD, COUNT, UPTIME, ERRORS }

  static FleetTemplate record(int devices) throws InterruptedException {
    HostSampler sampler = new HostSampler(Path.of("/proc"), "template", HostSampler.InodeSource.df());
    sampler.sample(System.currentTimeMillis());
    Thread.sleep(1_000);
    List<Sample> samples = sampler.sample(System.currentTimeMillis());
    return new FleetTemplate(widen(samples, devices));
  }

  private static List<Series> widen(List<Sample> samples, int devices) {
    Map<String, List<Sample>> byFamily = new LinkedHashMap<>();
    for (Sample sample : samples) {
      byFamily.computeIfAbsent(sample.family(), f -> new ArrayList<>()).add(sample);
    }
    List<Series> series = new ArrayList<>();
    byFamily.forEach((family, members) -> {
      String deviceTag = switch (family) {
        case "disk" -> "device";
        case "net" -> "iface";
        case "fs" -> "mount";
        default -> null;
      };
      if (deviceTag == null) {
        members.forEach(sample -> series.add(series(sample.metric(), sample.tags(), sample.value())));
        return;
      }
      Map<String, List<Sample>> byDevice = new LinkedHashMap<>();
      members.forEach(sample -> byDevice.computeIfAbsent(sample.tags(), t -> new ArrayList<>()).add(sample));
      List<List<Sample>> originals = new ArrayList<>(byDevice.values());
      for (int d = 0; d < Math.max(devices, originals.size()); d++) {
        for (Sample sample : originals.get(d % originals.size())) {
          String tags = d < originals.size() ? sample.tags() : otherDevice(family, d);
          series.add(series(sample.metric(), tags, sample.value()));
        }
      }
    });
    return series;
  }

  private static String otherDevice(String family, int index) {
    return switch (family) {
      case "disk" -> Tags.of("device", "sd" + (char) ('a' + index));
      case "net" -> Tags.of("iface", "eth" + index);
      default -> Tags.of(Map.of("device", "/dev/sd" + (char) ('a' + index) + "1", "mount", "/data" + index, "type", "xfs"));
    };
  }

  private static Series series(String metric, String tags, double value) {
    return new Series(metric, tags, value, kind(metric));
  }

  private static Kind kind(String metric) {
    if (metric.equals("cpu.count") || metric.endsWith("total_bytes") || metric.equals("fs.size_bytes") || metric.equals("fs.inodes_total")) {
      return Kind.CONSTANT;
    }
    if (metric.startsWith("cpu.") || metric.endsWith("_percent")) {
      return Kind.PERCENT;
    }
    if (metric.endsWith("_per_s")) {
      return Kind.RATE;
    }
    if (metric.endsWith("_bytes") || metric.startsWith("fs.inodes")) {
      return Kind.BYTES;
    }
    if (metric.startsWith("load.")) {
      return Kind.LOAD;
    }
    if (metric.startsWith("uptime")) {
      return Kind.UPTIME;
    }
    if (metric.endsWith("_errors") || metric.endsWith("_dropped")) {
      return Kind.ERRORS;
    }
    return Kind.COUNT;
  }
}
