package io.nbnet.collector.proc;

import io.nbnet.formats.Sample;
import io.nbnet.formats.Tags;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads the host's state from a proc folder (normally /proc) and the JDK, and turns it into samples.
 * Rates (CPU shares, disk and network throughput) need two readings: the first call only records a
 * baseline for them. Calls block on file reads and one {@code df}; run them off the event loop.
 */
public final class HostSampler {

  private static final Logger log = Logger.getLogger(HostSampler.class.getName());

  private final Path procRoot;
  private final String host;
  private final InodeSource inodes;
  private Reading previous;

  /** Inode counts per mount point; {@link #df()} asks the df command. */
  @FunctionalInterface
  public interface InodeSource {
    Map<String, DfInodes.Inodes> inodes(List<Mounts.Mount> mounts);

    static InodeSource df() {
      return new DfCommand();
    }
  }

  private record Reading(long nanos, KernelStat stat, Map<String, DiskCounters> disks, Map<String, NetCounters> nets) {
  }

  public HostSampler(Path procRoot, String host, InodeSource inodes) {
    this.procRoot = procRoot;
    this.host = host;
    this.inodes = inodes;
  }

  public List<Sample> sample(long timestampMillis) {
    SampleList out = new SampleList(host, timestampMillis);
    Reading now = new Reading(System.nanoTime(), KernelStat.parse(read("stat")),
      DiskCounters.parse(read("diskstats")), NetCounters.parse(read("net/dev")));
    if (previous != null) {
      double seconds = (now.nanos - previous.nanos) / 1e9;
      addCpu(out, now.stat.cpu(), previous.stat.cpu());
      addDisks(out, now.disks, previous.disks, seconds);
      addNetworks(out, now.nets, previous.nets, seconds);
    }
    previous = now;
    out.add("cpu.count", Tags.NONE, Runtime.getRuntime().availableProcessors());
    addMemory(out, MemInfo.parse(read("meminfo")));
    addLoadAndProcesses(out, LoadAvg.parse(read("loadavg")), now.stat);
    addTcp(out);
    addFilesystems(out);
    out.add("uptime.seconds", Tags.NONE, Double.parseDouble(read("uptime").trim().split("\\s+")[0]));
    return out.samples;
  }

  private void addCpu(SampleList out, CpuTimes now, CpuTimes before) {
    now.percentagesSince(before).forEach((state, percent) -> out.add("cpu." + state, Tags.NONE, percent));
  }

  private void addMemory(SampleList out, MemInfo mem) {
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

  private void addLoadAndProcesses(SampleList out, LoadAvg load, KernelStat stat) {
    out.add("load.1", Tags.NONE, load.load1());
    out.add("load.5", Tags.NONE, load.load5());
    out.add("load.15", Tags.NONE, load.load15());
    out.add("proc.total", Tags.NONE, countProcesses());
    out.add("proc.running", Tags.NONE, stat.procsRunning());
    out.add("proc.blocked", Tags.NONE, stat.procsBlocked());
    out.add("proc.threads", Tags.NONE, load.threads());
  }

  private void addDisks(SampleList out, Map<String, DiskCounters> now, Map<String, DiskCounters> before, double seconds) {
    now.forEach((device, c) -> {
      DiskCounters b = before.get(device);
      if (b == null || seconds <= 0) {
        return;
      }
      String tags = Tags.of("device", device);
      out.add("disk.reads_per_s", tags, rate(c.reads() - b.reads(), seconds));
      out.add("disk.writes_per_s", tags, rate(c.writes() - b.writes(), seconds));
      out.add("disk.read_bytes_per_s", tags, rate((c.sectorsRead() - b.sectorsRead()) * DiskCounters.SECTOR_BYTES, seconds));
      out.add("disk.write_bytes_per_s", tags, rate((c.sectorsWritten() - b.sectorsWritten()) * DiskCounters.SECTOR_BYTES, seconds));
      out.add("disk.busy_percent", tags, Math.min(100.0, rate(c.ioMillis() - b.ioMillis(), seconds) / 10.0));
    });
  }

  private void addNetworks(SampleList out, Map<String, NetCounters> now, Map<String, NetCounters> before, double seconds) {
    now.forEach((iface, c) -> {
      NetCounters b = before.get(iface);
      if (b == null || seconds <= 0) {
        return;
      }
      String tags = Tags.of("iface", iface);
      out.add("net.rx_bytes_per_s", tags, rate(c.rxBytes() - b.rxBytes(), seconds));
      out.add("net.tx_bytes_per_s", tags, rate(c.txBytes() - b.txBytes(), seconds));
      out.add("net.rx_packets_per_s", tags, rate(c.rxPackets() - b.rxPackets(), seconds));
      out.add("net.tx_packets_per_s", tags, rate(c.txPackets() - b.txPackets(), seconds));
      out.add("net.rx_errors", tags, Math.max(0, c.rxErrors() - b.rxErrors()));
      out.add("net.tx_errors", tags, Math.max(0, c.txErrors() - b.txErrors()));
      out.add("net.rx_dropped", tags, Math.max(0, c.rxDropped() - b.rxDropped()));
      out.add("net.tx_dropped", tags, Math.max(0, c.txDropped() - b.txDropped()));
    });
  }

  private void addTcp(SampleList out) {
    String tcp6 = Files.exists(procRoot.resolve("net/tcp6")) ? read("net/tcp6") : "";
    TcpStates.count(read("net/tcp"), tcp6).forEach((state, count) -> out.add("tcp." + state, Tags.NONE, count));
  }

  private void addFilesystems(SampleList out) {
    List<Mounts.Mount> mounts = Mounts.parse(read("mounts"));
    Map<String, DfInodes.Inodes> inodeCounts = inodes.inodes(mounts);
    for (Mounts.Mount mount : mounts) {
      FileStore store;
      try {
        store = Files.getFileStore(Path.of(mount.path()));
      } catch (IOException | RuntimeException e) {
        log.log(Level.FINE, "cannot read filesystem " + mount.path(), e);
        continue;
      }
      String tags = Tags.of(Map.of("mount", mount.path(), "device", mount.device(), "type", mount.type()));
      try {
        long total = store.getTotalSpace();
        out.add("fs.size_bytes", tags, total);
        out.add("fs.used_bytes", tags, total - store.getUnallocatedSpace());
        out.add("fs.free_bytes", tags, store.getUsableSpace());
      } catch (IOException e) {
        log.log(Level.FINE, "cannot read the sizes of " + mount.path(), e);
      }
      DfInodes.Inodes counts = inodeCounts.get(mount.path());
      if (counts != null) {
        out.add("fs.inodes_total", tags, counts.total());
        out.add("fs.inodes_used", tags, counts.used());
        out.add("fs.inodes_free", tags, counts.free());
      }
    }
  }

  private long countProcesses() {
    long count = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(procRoot, entry -> entry.getFileName().toString().matches("\\d+"))) {
      for (Path ignored : entries) {
        count++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return count;
  }

  private String read(String file) {
    try {
      return Files.readString(procRoot.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + procRoot.resolve(file), e);
    }
  }

  private static double rate(long delta, double seconds) {
    return Math.max(0, delta) / seconds;
  }

  /** Collects samples that share a host and a timestamp. */
  private static final class SampleList {
    private final String host;
    private final long timestampMillis;
    private final List<Sample> samples = new ArrayList<>();

    SampleList(String host, long timestampMillis) {
      this.host = host;
      this.timestampMillis = timestampMillis;
    }

    void add(String metric, String tags, double value) {
      samples.add(Sample.numeric(host, timestampMillis, metric, tags, value));
    }
  }
}
