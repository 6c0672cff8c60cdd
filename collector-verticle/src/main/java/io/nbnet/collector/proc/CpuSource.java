package io.nbnet.collector.proc;

import io.nbnet.formats.Tags;

/**
 * {@code cpu}: the whole machine's CPU time by state in percent of the interval ({@code cpu.user} ...),
 * the core count, and from /proc/stat's counters context switches and interrupts ({@code kernel.*}) and forks per second.
 */
final class CpuSource implements Source {

  private final Counters counters = new Counters();
  private CpuTimes previous;

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public void sample(ProcFiles files, SampleSink out) {
    String stat = files.read("stat");
    CpuTimes now = KernelStat.parse(stat).cpu();
    if (previous != null) {
      now.percentagesSince(previous).forEach((state, percent) -> out.add("cpu." + state, Tags.NONE, percent));
    }
    previous = now;
    out.add("cpu.count", Tags.NONE, Runtime.getRuntime().availableProcessors());
    counters.reading();
    for (String line : stat.split("\n")) {
      String[] f = line.trim().split("\\s+");
      switch (f[0]) {
        case "ctxt" -> out.add("kernel.context_switches_per_s", Tags.NONE, counters.perSecond("ctxt", Long.parseLong(f[1])));
        case "intr" -> out.add("kernel.interrupts_per_s", Tags.NONE, counters.perSecond("intr", Long.parseLong(f[1])));
        case "processes" -> out.add("proc.forks_per_s", Tags.NONE, counters.perSecond("processes", Long.parseLong(f[1])));
        default -> { }
      }
    }
  }
}
