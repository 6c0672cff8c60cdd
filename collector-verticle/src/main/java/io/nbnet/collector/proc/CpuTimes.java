package io.nbnet.collector.proc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The aggregate {@code cpu} line of /proc/stat, in clock ticks since boot. Guest time is already
 * counted in user and nice, so it is not part of the total.
 */
public record CpuTimes(long user, long nice, long system, long idle, long iowait, long irq, long softirq, long steal) {

  public long total() {
    return user + nice + system + idle + iowait + irq + softirq + steal;
  }

  /** Each state's share of the time between {@code earlier} and this, in percent; empty if no time passed. */
  public Map<String, Double> percentagesSince(CpuTimes earlier) {
    Map<String, Double> shares = new LinkedHashMap<>();
    long elapsed = total() - earlier.total();
    if (elapsed <= 0) {
      return shares;
    }
    shares.put("user", percent(user - earlier.user, elapsed));
    shares.put("nice", percent(nice - earlier.nice, elapsed));
    shares.put("system", percent(system - earlier.system, elapsed));
    shares.put("idle", percent(idle - earlier.idle, elapsed));
    shares.put("iowait", percent(iowait - earlier.iowait, elapsed));
    shares.put("irq", percent(irq - earlier.irq, elapsed));
    shares.put("softirq", percent(softirq - earlier.softirq, elapsed));
    shares.put("steal", percent(steal - earlier.steal, elapsed));
    return shares;
  }

  private static double percent(long part, long whole) {
    // iowait can go backwards on some kernels; a share is never below 0 or above 100
    return Math.max(0.0, Math.min(100.0, 100.0 * part / whole));
  }
}
