package io.nbnet.collector.proc;

import io.nbnet.formats.Tags;

/** {@code mem}: /proc/meminfo in bytes; used is total - free - buffers - cached, as the legacy agent counts it. */
final class MemorySource implements Source {

  @Override
  public String name() {
    return "mem";
  }

  @Override
  public void sample(ProcFiles files, SampleSink out) {
    MemInfo mem = MemInfo.parse(files.read("meminfo"));
    out.add("mem.total_bytes", Tags.NONE, mem.total());
    out.add("mem.used_bytes", Tags.NONE, mem.used());
    out.add("mem.free_bytes", Tags.NONE, mem.free());
    out.add("mem.available_bytes", Tags.NONE, mem.available());
    out.add("mem.buffers_bytes", Tags.NONE, mem.buffers());
    out.add("mem.cached_bytes", Tags.NONE, mem.cached());
    out.add("mem.swap_total_bytes", Tags.NONE, mem.swapTotal());
    out.add("mem.swap_used_bytes", Tags.NONE, mem.swapUsed());
    out.add("mem.swap_free_bytes", Tags.NONE, mem.swapFree());
  }
}
