package io.nbnet.collector.proc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nbnet.support.metrics.NbnetMeters;

import io.nbnet.formats.Sample;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostSamplerTest {

  @Test
  @DisplayName("on captured /proc files: rates appear from the second reading, with the values the files imply")
  void samplesFixture(@TempDir Path proc) throws IOException {
    copyTree(ProcParsersTest.FIXTURE, proc);
    HostSampler sampler = new HostSampler(proc, "web-1", mounts -> Map.of("/", new DfInodes.Inodes(100, 40, 60)));

    List<Sample> first = sampler.sample(1_000);
    assertFalse(has(first, "cpu.user"), "no CPU share without a previous reading");
    assertEquals(24684084L * 1024, value(first, "mem.total_bytes", ""));
    assertEquals(0.30, value(first, "load.1", ""));
    assertEquals(11, value(first, "tcp.listen", ""));
    assertEquals(140, value(first, "proc.threads", ""));
    assertEquals(517.43, value(first, "uptime.seconds", ""));
    assertTrue(first.stream().allMatch(s -> s.host().equals("web-1") && s.timestampMillis() == 1_000));

    copyTree(ProcParsersTest.FIXTURE_LATER, proc);
    List<Sample> second = sampler.sample(2_000);
    assertEquals(100.0 * 19 / 4237, value(second, "cpu.user", ""), 1e-9);
    assertTrue(value(second, "disk.reads_per_s", "device=vda") > 0);
    assertTrue(value(second, "disk.write_bytes_per_s", "device=vda") > 0);
    assertFalse(second.stream().anyMatch(s -> s.tags().contains("loop")), "loop devices are skipped");
    assertEquals(0, value(second, "net.rx_bytes_per_s", "iface=eth0"));
    assertEquals(3, value(second, "proc.running", ""));
    String rootTags = "device=/dev/vda,mount=/,type=ext4";
    assertTrue(value(second, "fs.size_bytes", rootTags) > 0);
    assertEquals(40, value(second, "fs.inodes_used", rootTags));

    // the sources beyond the first nine, on this kernel's files
    assertEquals(12.50, value(second, "pressure.some_avg10", "resource=cpu"));
    assertEquals(0.0, value(second, "pressure.full_avg10", "resource=memory"));
    assertTrue(value(second, "pressure.some_stall_ms_per_s", "resource=cpu") > 0);
    assertEquals(2, value(second, "vm.oom_kills", ""));
    assertTrue(has(second, "vm.major_faults_per_s"));
    assertEquals(2255, value(second, "fd.allocated", ""));
    assertEquals(2466193, value(second, "fd.max", ""));
    assertEquals(60, value(first, "sock.tcp_inuse", ""));
    assertEquals(4, value(first, "sock.tcp_tw", ""));
    assertEquals(17, value(first, "sock.tcp6_inuse", ""));
    assertEquals(5, value(second, "tcp.resets_sent", ""));
    assertEquals(3, value(second, "tcp.listen_overflows", ""));
    assertEquals(7, value(second, "udp.receive_errors", ""));
    assertTrue(has(second, "tcp.retransmits_per_s"));
    assertFalse(has(first, "tcp.resets_sent"), "an increase needs two readings");
    assertEquals(0, value(second, "conntrack.entries", ""));
    assertEquals(262144, value(second, "conntrack.max", ""));
    assertTrue(value(second, "disk.read_await_ms", "device=vda") >= 0);
    assertTrue(has(second, "disk.queue_size"));
    assertTrue(has(second, "kernel.context_switches_per_s"));
    assertTrue(second.stream().anyMatch(sample -> sample.metric().equals("cpu.core.user") && sample.tags().equals("cpu=0")),
      "per-CPU usage, tagged by core");
  }

  @Test
  @DisplayName("a source whose file is missing adds nothing that interval, the others carry on; absent families are left out; sources can be turned off")
  void sourcesAreIsolated(@TempDir Path proc) throws IOException {
    copyTree(ProcParsersTest.FIXTURE, proc);
    Files.delete(proc.resolve("meminfo"));
    deleteTree(proc.resolve("pressure"));
    deleteTree(proc.resolve("sys/net/netfilter"));
    HostSampler sampler = new HostSampler(new ProcFiles(proc, Path.of("src/test/resources/sys-fixture")), "web-1",
      mounts -> Map.of(), Set.of("percpu"));
    assertFalse(sampler.sourceNames().contains("pressure"), "no /proc/pressure: left out");
    assertFalse(sampler.sourceNames().contains("conntrack"));
    assertFalse(sampler.sourceNames().contains("percpu"), "turned off");
    assertTrue(sampler.sourceNames().contains("hwmon"));

    double errorsBefore = sourceErrors("mem");
    List<Sample> samples = sampler.sample(1_000);
    assertFalse(samples.stream().anyMatch(s -> s.metric().startsWith("mem.")), "the failing source adds nothing");
    assertEquals(errorsBefore + 1, sourceErrors("mem"), "counted in nbnet_collector_source_errors_total{source=mem}");
    assertEquals(0.30, value(samples, "load.1", ""));
    assertEquals(45.0, value(samples, "hwmon.temperature_celsius", "chip=coretemp,sensor=Package id 0"));
    assertEquals(43.5, value(samples, "hwmon.temperature_celsius", "chip=coretemp,sensor=temp2"));
    assertEquals(38.85, value(samples, "hwmon.temperature_celsius", "chip=nvme,sensor=Composite"));

    copyTree(ProcParsersTest.FIXTURE_LATER, proc);
    Files.copy(ProcParsersTest.FIXTURE.resolve("meminfo"), proc.resolve("meminfo"));
    List<Sample> later = sampler.sample(2_000);
    assertTrue(has(later, "mem.total_bytes"), "the source recovers once its file is back");
    assertFalse(later.stream().anyMatch(s -> s.tags().startsWith("cpu=")), "per-CPU is off");
  }

  @Test
  @DisplayName("on the live /proc of this machine: plausible CPU, memory, filesystem and socket figures")
  void samplesLiveProc() throws Exception {
    HostSampler sampler = new HostSampler(Path.of("/proc"), "live", HostSampler.InodeSource.df());
    sampler.sample(System.currentTimeMillis());
    // CPU percentages need the kernel's counters to move between two samplings
    List<Sample> samples = await().pollDelay(100, TimeUnit.MILLISECONDS).atMost(10, TimeUnit.SECONDS)
      .until(() -> sampler.sample(System.currentTimeMillis()), sampled -> sampled.stream().anyMatch(s -> s.metric().equals("cpu.idle")));

    List<Sample> cpu = samples.stream().filter(s -> s.metric().startsWith("cpu.") && s.tags().isEmpty()
      && List.of("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal").contains(s.metric().substring(4))).toList();
    assertEquals(8, cpu.size());
    cpu.forEach(s -> assertTrue(s.value() >= 0 && s.value() <= 100, s.toString()));
    assertEquals(100.0, cpu.stream().mapToDouble(Sample::value).sum(), 0.01);
    assertTrue(value(samples, "mem.used_bytes", "") <= value(samples, "mem.total_bytes", ""));
    assertTrue(value(samples, "mem.total_bytes", "") > 0);
    assertTrue(value(samples, "proc.total", "") > 0);
    assertTrue(samples.stream().anyMatch(s -> s.metric().equals("fs.size_bytes") && s.tags().contains("mount=/,") && s.value() > 0));
    assertTrue(samples.stream().anyMatch(s -> s.metric().equals("fs.inodes_total") && s.value() > 0));
    assertTrue(samples.stream().anyMatch(s -> s.metric().equals("net.rx_bytes_per_s") && s.tags().equals("iface=lo")));
    assertTrue(has(samples, "tcp.listen"));
    // the sources this VM has: pressure, vmstat, file handles and sockets, TCP/UDP counters, conntrack (no hwmon here)
    assertTrue(value(samples, "pressure.some_avg10", "resource=cpu") >= 0);
    assertTrue(value(samples, "fd.allocated", "") > 0);
    assertTrue(has(samples, "sock.tcp_inuse"));
    assertTrue(has(samples, "tcp.retransmits_per_s"));
    assertTrue(has(samples, "vm.page_faults_per_s"));
    System.out.printf("HostSamplerTest: %d samples per interval on this machine (%d cores) with every source on%n", samples.size(),
      Runtime.getRuntime().availableProcessors());
    long cores = samples.stream().filter(s -> s.metric().equals("cpu.core.idle") && s.tags().startsWith("cpu=")).count();
    assertEquals(Runtime.getRuntime().availableProcessors(), cores, "per-CPU idle for every core");
  }

  static {
    // meters registered on an empty global registry would count nothing
    if (Metrics.globalRegistry.getRegistries().isEmpty()) {
      Metrics.addRegistry(new SimpleMeterRegistry());
    }
  }

  private static double sourceErrors(String source) {
    Counter counter = NbnetMeters.registry().find("nbnet.collector.source.errors").tag("source", source).counter();
    return counter == null ? 0 : counter.count();
  }

  private static boolean has(List<Sample> samples, String metric) {
    return samples.stream().anyMatch(s -> s.metric().equals(metric));
  }

  private static double value(List<Sample> samples, String metric, String tags) {
    Optional<Sample> found = samples.stream().filter(s -> s.metric().equals(metric) && s.tags().equals(tags)).findFirst();
    assertTrue(found.isPresent(), () -> "no " + metric + " {" + tags + "} in " + samples);
    return found.get().value();
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
