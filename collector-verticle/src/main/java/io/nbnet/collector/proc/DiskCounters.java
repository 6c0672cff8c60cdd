package io.nbnet.collector.proc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The counters of one whole disk from /proc/diskstats (lines of 14 fields, 18 since Linux 4.18 with
 * discards, 20 since 5.5 with flushes: the first 14 mean the same in all). Loop and RAM devices are
 * skipped, and so are partitions (a device whose name extends another device's name), so no I/O is
 * counted twice.
 */
public record DiskCounters(long reads, long readMillis, long sectorsRead, long writes, long writeMillis, long sectorsWritten,
                           long inFlight, long ioMillis, long weightedIoMillis) {

  public static final int SECTOR_BYTES = 512;
  private static final Pattern VIRTUAL = Pattern.compile("(loop|ram)\\d+");

  public static Map<String, DiskCounters> parse(String diskstats) {
    Map<String, DiskCounters> all = new LinkedHashMap<>();
    for (String line : diskstats.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 14 || VIRTUAL.matcher(f[2]).matches()) {
        continue;
      }
      all.put(f[2], new DiskCounters(Long.parseLong(f[3]), Long.parseLong(f[6]), Long.parseLong(f[5]), Long.parseLong(f[7]),
        Long.parseLong(f[10]), Long.parseLong(f[9]), Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13])));
    }
    all.keySet().removeIf(name -> all.keySet().stream().anyMatch(other -> !other.equals(name) && name.startsWith(other)));
    return all;
  }
}
