package io.nbnet.collector.proc;

/** What the collector takes from /proc/stat. */
public record KernelStat(CpuTimes cpu, long procsRunning, long procsBlocked) {

  public static KernelStat parse(String stat) {
    CpuTimes cpu = null;
    long running = 0;
    long blocked = 0;
    for (String line : stat.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      switch (fields[0]) {
        case "cpu" -> cpu = new CpuTimes(field(fields, 1), field(fields, 2), field(fields, 3), field(fields, 4),
          field(fields, 5), field(fields, 6), field(fields, 7), field(fields, 8));
        case "procs_running" -> running = field(fields, 1);
        case "procs_blocked" -> blocked = field(fields, 1);
        default -> { }
      }
    }
    if (cpu == null) {
      throw new IllegalArgumentException("/proc/stat has no aggregate cpu line");
    }
    return new KernelStat(cpu, running, blocked);
  }

  /** Older kernels have fewer columns; a missing one counts as 0. */
  private static long field(String[] fields, int index) {
    return index < fields.length ? Long.parseLong(fields[index]) : 0;
  }
}
