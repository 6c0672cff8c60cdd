package io.nbnet.collector.proc;

import io.nbnet.formats.Tags;

/** {@code uptime}: seconds since boot. */
final class UptimeSource implements Source {

  @Override
  public String name() {
    return "uptime";
  }

  @Override
  public void sample(ProcFiles files, SampleSink out) {
    out.add("uptime.seconds", Tags.NONE, Double.parseDouble(files.read("uptime").trim().split("\\s+")[0]));
  }
}
