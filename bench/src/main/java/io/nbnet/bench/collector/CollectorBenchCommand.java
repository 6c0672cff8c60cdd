package io.nbnet.bench.collector;

import io.nbnet.collector.proc.HostSampler;
import io.nbnet.collector.proc.ProcFiles;
import io.nbnet.formats.Sample;
import io.nbnet.support.logging.OneLineLogging;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ./nbnet bench-collector}: what sampling this host costs the collector. Samples this
 * machine's /proc and /sys with every source on, the way the collector does, and reports per
 * sampling the CPU time of the sampling thread, of the {@code df} child process, the bytes the thread
 * allocated, and the share of one core that makes at the collector's interval.
 */
@Command(name = "bench-collector", mixinStandardHelpOptions = true,
  description = "The collector's own cost per interval with every source on: CPU time (its thread and df), allocated bytes.")
public final class CollectorBenchCommand implements Callable<Integer> {

  @Option(names = "--samplings", defaultValue = "200", description = "samplings measured, after 20 to warm up (default: ${DEFAULT-VALUE})")
  int samplings;

  @Option(names = "--interval-ms", defaultValue = "10000", description = "the interval the share of a core is computed for (default: ${DEFAULT-VALUE})")
  long intervalMillis;

  @Option(names = "--gap-ms", defaultValue = "50", description = "time between two measured samplings, so rates have something to move (default: ${DEFAULT-VALUE})")
  long gapMillis;

  public static void main(String[] args) {
    OneLineLogging.install();
    System.exit(new CommandLine(new CollectorBenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    HostSampler sampler = new HostSampler(new ProcFiles(Path.of("/proc"), Path.of("/sys")), "bench", HostSampler.InodeSource.df(), Set.of());
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    for (int i = 0; i < 20; i++) {
      sampler.sample(System.currentTimeMillis());
    }
    long cpuBefore = threads.getThreadCpuTime(self);
    long allocatedBefore = threads.getThreadAllocatedBytes(self);
    long childCpu = 0;
    long samples = 0;
    long wallNanos = 0;
    for (int i = 0; i < samplings; i++) {
      Thread.sleep(gapMillis);
      long childrenBefore = childrenCpuNanos();
      long began = System.nanoTime();
      List<Sample> sampled = sampler.sample(System.currentTimeMillis());
      wallNanos += System.nanoTime() - began;
      childCpu += Math.max(0, childrenCpuNanos() - childrenBefore);
      samples += sampled.size();
    }
    double cpuMillis = (threads.getThreadCpuTime(self) - cpuBefore) / 1e6 / samplings;
    double dfMillis = childCpu / 1e6 / samplings;
    double allocatedKib = (threads.getThreadAllocatedBytes(self) - allocatedBefore) / 1024.0 / samplings;
    System.out.printf("bench-collector: %d samplings of this host with the sources %s: %.0f samples each%n", samplings,
      sampler.sourceNames(), (double) samples / samplings);
    System.out.printf("  per sampling: %.2f ms CPU in the sampling thread, %.2f ms CPU in df, %.2f ms wall, %.0f KiB allocated%n",
      cpuMillis, dfMillis, wallNanos / 1e6 / samplings, allocatedKib);
    System.out.printf("  at a %s interval: %.3f%% of one core (thread and df), %.0f KiB/s allocated%n", Duration.ofMillis(intervalMillis),
      100 * (cpuMillis + dfMillis) / intervalMillis, allocatedKib * 1000 / intervalMillis);
    return 0;
  }

  /** CPU time of this process's finished and running children (df), from /proc/self/stat's cutime and cstime. */
  private static long childrenCpuNanos() throws Exception {
    String stat = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // after the command: state is field 3, cutime 16 and cstime 17 (1-based in proc(5)), in clock ticks
    long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    return ticks * 10_000_000L;
  }
}
