package io.nbnet.collector.proc;

import io.nbnet.formats.Tags;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code percpu}: each core's time by state in percent ({@code cpu.core.user{cpu=0}} ...): eight samples
 * per core and interval, so it may be switched off on machines with many cores.
 */
final class PerCpuSource implements Source {

  private Map<String, CpuTimes> previous = Map.of();

  @Override
  public String name() {
    return "percpu";
  }

  @Override
  public void sample(ProcFiles files, SampleSink out) {
    Map<String, CpuTimes> now = new HashMap<>();
    for (String line : files.read("stat").split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f[0].startsWith("cpu") && f[0].length() > 3) {
        String cpu = f[0].substring(3);
        CpuTimes times = new CpuTimes(field(f, 1), field(f, 2), field(f, 3), field(f, 4), field(f, 5), field(f, 6), field(f, 7), field(f, 8));
        now.put(cpu, times);
        CpuTimes before = previous.get(cpu);
        if (before != null) {
          String tags = Tags.of("cpu", cpu);
          times.percentagesSince(before).forEach((state, percent) -> out.add("cpu.core." + state, tags, percent));
        }
      }
    }
    previous = now;
  }

  private static long field(String[] fields, int index) {
    return index < fields.length ? Long.parseLong(fields[index]) : 0;
  }
}
