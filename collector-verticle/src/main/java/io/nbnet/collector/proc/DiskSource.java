package io.nbnet.collector.proc;

import io.nbnet.formats.Tags;

import java.util.Map;

/**
 * {@code disk}: per whole disk, operations and bytes per second, busy percent, and as iostat computes
 * them: the average wait of a read and of a write in ms ({@code r_await}, {@code w_await}), the
 * average queue size ({@code aqu-sz}), and the I/Os in flight now.
 */
final class DiskSource implements Source {

  private Map<String, DiskCounters> previous;
  private long previousNanos;

  @Override
  public String name() {
    return "disk";
  }

  @Override
  public void sample(ProcFiles files, SampleSink out) {
    Map<String, DiskCounters> now = DiskCounters.parse(files.read("diskstats"));
    long nanos = System.nanoTime();
    if (previous != null) {
      double seconds = (nanos - previousNanos) / 1e9;
      now.forEach((device, c) -> {
        DiskCounters b = previous.get(device);
        if (b == null || seconds <= 0) {
          return;
        }
        String tags = Tags.of("device", device);
        long reads = c.reads() - b.reads();
        long writes = c.writes() - b.writes();
        out.add("disk.reads_per_s", tags, rate(reads, seconds));
        out.add("disk.writes_per_s", tags, rate(writes, seconds));
        out.add("disk.read_bytes_per_s", tags, rate((c.sectorsRead() - b.sectorsRead()) * DiskCounters.SECTOR_BYTES, seconds));
        out.add("disk.write_bytes_per_s", tags, rate((c.sectorsWritten() - b.sectorsWritten()) * DiskCounters.SECTOR_BYTES, seconds));
        out.add("disk.busy_percent", tags, Math.min(100.0, rate(c.ioMillis() - b.ioMillis(), seconds) / 10.0));
        out.add("disk.read_await_ms", tags, reads > 0 ? Math.max(0, c.readMillis() - b.readMillis()) / (double) reads : 0);
        out.add("disk.write_await_ms", tags, writes > 0 ? Math.max(0, c.writeMillis() - b.writeMillis()) / (double) writes : 0);
        out.add("disk.queue_size", tags, rate(c.weightedIoMillis() - b.weightedIoMillis(), seconds) / 1000.0);
        out.add("disk.in_flight", tags, c.inFlight());
      });
    }
    previous = now;
    previousNanos = nanos;
  }

  private static double rate(long delta, double seconds) {
    return Math.max(0, delta) / seconds;
  }
}
