package io.nbnet.saver.query;

import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * A host's numbers for the host list, from its newest samples: CPU busy and memory used in percent,
 * the 1-minute load, the busiest disk, the fullest filesystem, network bytes per second in and out.
 * A number whose samples are missing (a legacy agent, a host whose newest samples are compacted) is left out.
 */
final class Headline {

  private final Map<String, Double> single = new HashMap<>();
  private double busiestDisk = Double.NaN;
  private final Map<String, double[]> filesystems = new HashMap<>();
  private double rx = Double.NaN;
  private double tx = Double.NaN;

  void add(String metric, String tags, double value) {
    switch (metric) {
      case "disk.busy_percent" -> busiestDisk = Double.isNaN(busiestDisk) ? value : Math.max(busiestDisk, value);
      case "fs.used_bytes" -> filesystems.computeIfAbsent(tags, t -> new double[2])[0] = value;
      case "fs.size_bytes" -> filesystems.computeIfAbsent(tags, t -> new double[2])[1] = value;
      case "net.rx_bytes_per_s" -> rx = (Double.isNaN(rx) ? 0 : rx) + value;
      case "net.tx_bytes_per_s" -> tx = (Double.isNaN(tx) ? 0 : tx) + value;
      default -> single.put(metric, value);
    }
  }

  JsonObject json() {
    JsonObject json = new JsonObject();
    Double idle = single.get("cpu.idle");
    if (idle != null) {
      json.put("cpuPercent", round(100 - idle));
    }
    Double used = single.get("mem.used_bytes");
    Double total = single.get("mem.total_bytes");
    if (used != null && total != null && total > 0) {
      json.put("memoryPercent", round(100 * used / total));
    }
    if (single.containsKey("load.1")) {
      json.put("load1", single.get("load.1"));
    }
    if (!Double.isNaN(busiestDisk)) {
      json.put("diskBusyPercent", round(busiestDisk));
    }
    filesystems.values().stream().filter(fs -> fs[1] > 0).mapToDouble(fs -> 100 * fs[0] / fs[1]).max()
      .ifPresent(fullest -> json.put("fsUsedPercent", round(fullest)));
    if (!Double.isNaN(rx)) {
      json.put("netRxBytesPerS", rx);
    }
    if (!Double.isNaN(tx)) {
      json.put("netTxBytesPerS", tx);
    }
    return json;
  }

  private static double round(double percent) {
    return Math.round(percent * 10) / 10.0;
  }
}
