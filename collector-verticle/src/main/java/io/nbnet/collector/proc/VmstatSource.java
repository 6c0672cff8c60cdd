package io.nbnet.collector.proc;

import io.nbnet.formats.Tags;

import java.util.Map;

/**
 * {@code vm}: paging and swapping per second from /proc/vmstat (KiB paged in and out, pages swapped
 * in and out, page faults, major faults) and OOM kills during the interval (Linux 4.13+).
 */
final class VmstatSource implements Source {

  private static final Map<String, String> RATES = Map.of("pgpgin", "vm.paged_in_kib_per_s", "pgpgout", "vm.paged_out_kib_per_s",
    "pswpin", "vm.swapped_in_pages_per_s", "pswpout", "vm.swapped_out_pages_per_s", "pgfault", "vm.page_faults_per_s",
    "pgmajfault", "vm.major_faults_per_s");
  private final Counters counters = new Counters();

  @Override
  public String name() {
    return "vm";
  }

  @Override
  public void sample(ProcFiles files, SampleSink out) {
    counters.reading();
    for (String line : files.read("vmstat").split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length != 2) {
        continue;
      }
      String metric = RATES.get(f[0]);
      if (metric != null) {
        out.add(metric, Tags.NONE, counters.perSecond(f[0], Long.parseLong(f[1])));
      } else if (f[0].equals("oom_kill")) {
        out.add("vm.oom_kills", Tags.NONE, counters.delta(f[0], Long.parseLong(f[1])));
      }
    }
  }
}
