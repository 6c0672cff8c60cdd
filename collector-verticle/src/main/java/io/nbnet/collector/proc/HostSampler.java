package io.nbnet.collector.proc;

import io.nbnet.formats.Sample;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the host's state from a proc folder (normally /proc), a sys folder and the JDK through its
 * {@link Source}s, and turns it into samples. Rates need two readings: the first call only records a
 * baseline for them. Calls block on file reads and one {@code df}; run them off the event loop.
 */
public final class HostSampler {

  /** Every source, in sampling order, by its name in {@code collector.sources}. */
  public static final List<String> SOURCES = List.of("cpu", "percpu", "mem", "load", "disk", "net", "tcp", "fs", "uptime",
    "pressure", "vm", "sockets", "netstat", "conntrack", "hwmon");

  private final String host;
  private final SourceSet sources;

  /** Inode counts per mount point; {@link #df()} asks the df command. */
  @FunctionalInterface
  public interface InodeSource {
    Map<String, DfInodes.Inodes> inodes(List<Mounts.Mount> mounts);

    static InodeSource df() {
      return new DfCommand();
    }
  }

  /** Every source, reading {@code procRoot} and /sys. */
  public HostSampler(Path procRoot, String host, InodeSource inodes) {
    this(new ProcFiles(procRoot, Path.of("/sys")), host, inodes, Set.of());
  }

  /** The sources not named in {@code disabled}. */
  public HostSampler(ProcFiles files, String host, InodeSource inodes, Set<String> disabled) {
    this.host = host;
    List<Source> chosen = new ArrayList<>();
    for (Source source : List.of(new CpuSource(), new PerCpuSource(), new MemorySource(), new LoadSource(), new DiskSource(),
      new NetSource(), new TcpSource(), new FilesystemSource(inodes), new UptimeSource(), new PressureSource(), new VmstatSource(),
      new SocketsSource(), new NetstatSource(), new ConntrackSource(), new HwmonSource())) {
      if (!disabled.contains(source.name())) {
        chosen.add(source);
      }
    }
    this.sources = new SourceSet(files, chosen);
  }

  /** The sources that run: enabled and applying to this host. */
  public List<String> sourceNames() {
    return sources.names();
  }

  public List<Sample> sample(long timestampMillis) {
    return sources.sample(host, timestampMillis);
  }
}
