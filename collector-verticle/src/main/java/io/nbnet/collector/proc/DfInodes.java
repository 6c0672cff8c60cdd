package io.nbnet.collector.proc;

import java.util.HashMap;
import java.util.Map;

/**
 * Inode counts per mount point from the output of {@code df -P -i}: the JDK can tell a filesystem's
 * sizes but not its inodes.
 */
public final class DfInodes {

  public record Inodes(long total, long used, long free) {
  }

  private DfInodes() {
  }

  public static Map<String, Inodes> parse(String dfOutput) {
    Map<String, Inodes> byMount = new HashMap<>();
    String[] lines = dfOutput.split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].trim().split("\\s+", 6);
      if (f.length < 6 || !f[1].matches("\\d+")) {
        continue;
      }
      byMount.put(f[5], new Inodes(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
    }
    return byMount;
  }
}
