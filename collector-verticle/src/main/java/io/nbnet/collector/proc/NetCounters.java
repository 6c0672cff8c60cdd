package io.nbnet.collector.proc;

import java.util.LinkedHashMap;
import java.util.Map;

/** The counters of one interface from /proc/net/dev. */
public record NetCounters(long rxBytes, long rxPackets, long rxErrors, long rxDropped,
                          long txBytes, long txPackets, long txErrors, long txDropped) {

  public static Map<String, NetCounters> parse(String netDev) {
    Map<String, NetCounters> interfaces = new LinkedHashMap<>();
    for (String line : netDev.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0 || line.contains("|")) {
        continue;
      }
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      interfaces.put(line.substring(0, colon).trim(), new NetCounters(
        Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
        Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11])));
    }
    return interfaces;
  }
}
