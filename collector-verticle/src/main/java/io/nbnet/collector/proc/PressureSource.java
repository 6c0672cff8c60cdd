package io.nbnet.collector.proc;

import io.nbnet.formats.Tags;

import java.util.Optional;

/**
 * {@code pressure}: pressure stall information (Linux 4.20+, /proc/pressure): per resource (cpu,
 * memory, io) the share of the last 10 s in which some or all tasks stalled ({@code some_avg10},
 * {@code full_avg10}, percent), and the stalled time per second of the interval ({@code some_stall_ms_per_s}).
 */
final class PressureSource implements Source {

  private static final String[] RESOURCES = {"cpu", "memory", "io"};
  private final Counters counters = new Counters();

  @Override
  public String name() {
    return "pressure";
  }

  @Override
  public Optional<String> notApplicable(ProcFiles files) {
    return files.exists("pressure/cpu") ? Optional.empty() : Optional.of("/proc/pressure is absent (kernel without PSI, or psi=0)");
  }

  @Override
  public void sample(ProcFiles files, SampleSink out) {
    counters.reading();
    for (String resource : RESOURCES) {
      if (!files.exists("pressure/" + resource)) {
        continue;
      }
      String tags = Tags.of("resource", resource);
      for (String line : files.read("pressure/" + resource).split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 5 || !(f[0].equals("some") || f[0].equals("full"))) {
          continue;
        }
        out.add("pressure." + f[0] + "_avg10", tags, Double.parseDouble(value(f[1], "avg10=")));
        if (f[0].equals("some")) {
          long totalMicros = Long.parseLong(value(f[4], "total="));
          out.add("pressure.some_stall_ms_per_s", tags, counters.perSecond(resource, totalMicros) / 1000.0);
        }
      }
    }
  }

  private static String value(String field, String key) {
    if (!field.startsWith(key)) {
      throw new IllegalArgumentException("expected " + key + " in /proc/pressure, got " + field);
    }
    return field.substring(key.length());
  }
}
