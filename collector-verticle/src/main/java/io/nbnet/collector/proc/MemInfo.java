package io.nbnet.collector.proc;

import java.util.HashMap;
import java.util.Map;

/** /proc/meminfo, values in bytes. */
public record MemInfo(long total, long free, long available, long buffers, long cached, long swapTotal, long swapFree) {

  public static MemInfo parse(String meminfo) {
    Map<String, Long> kib = new HashMap<>();
    for (String line : meminfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String[] value = line.substring(colon + 1).trim().split("\\s+");
      kib.put(line.substring(0, colon), Long.parseLong(value[0]));
    }
    long free = kib.getOrDefault("MemFree", 0L);
    return new MemInfo(bytes(kib, "MemTotal"), free * 1024,
      kib.containsKey("MemAvailable") ? bytes(kib, "MemAvailable") : free * 1024,
      bytes(kib, "Buffers"), bytes(kib, "Cached"), bytes(kib, "SwapTotal"), bytes(kib, "SwapFree"));
  }

  /** As the legacy agent counted it: total - free - buffers - cached. */
  public long used() {
    return Math.max(0, total - free - buffers - cached);
  }

  public long swapUsed() {
    return Math.max(0, swapTotal - swapFree);
  }

  private static long bytes(Map<String, Long> kib, String key) {
    return kib.getOrDefault(key, 0L) * 1024;
  }
}
