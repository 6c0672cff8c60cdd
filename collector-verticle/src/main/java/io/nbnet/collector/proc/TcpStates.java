package io.nbnet.collector.proc;

import java.util.LinkedHashMap;
import java.util.Map;

/** Counts sockets per TCP state from /proc/net/tcp and /proc/net/tcp6. */
public final class TcpStates {

  /** Kernel state numbers 1..11, in order. */
  private static final String[] NAMES = {
    "established", "syn_sent", "syn_recv", "fin_wait1", "fin_wait2", "time_wait",
    "close", "close_wait", "last_ack", "listen", "closing"};

  private TcpStates() {
  }

  /** Every state gets a count, zero included, so a dashboard sees a zero rather than a gap. */
  public static Map<String, Long> count(String... tables) {
    long[] counts = new long[NAMES.length];
    for (String table : tables) {
      for (String line : table.split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[0].endsWith(":")) {
          continue;
        }
        int state = Integer.parseInt(f[3], 16);
        if (state >= 1 && state <= NAMES.length) {
          counts[state - 1]++;
        }
      }
    }
    Map<String, Long> byName = new LinkedHashMap<>();
    for (int i = 0; i < NAMES.length; i++) {
      byName.put(NAMES[i], counts[i]);
    }
    return byName;
  }
}
