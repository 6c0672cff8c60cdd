package io.nbnet.collector.proc;

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
  }

  @Test
  @DisplayName("on the live /proc of this machine: plausible CPU, memory, filesystem and socket figures")
  void samplesLiveProc() throws Exception {
    HostSampler sampler = new HostSampler(Path.of("/proc"), "live", HostSampler.InodeSource.df());
    sampler.sample(System.currentTimeMillis());
    // CPU percentages need the kernel's counters to move between two samplings
    List<Sample> samples = await().pollDelay(100, TimeUnit.MILLISECONDS).atMost(10, TimeUnit.SECONDS)
      .until(() -> sampler.sample(System.currentTimeMillis()), sampled -> sampled.stream().anyMatch(s -> s.metric().equals("cpu.idle")));

    List<Sample> cpu = samples.stream().filter(s -> s.metric().startsWith("cpu.") && !s.metric().equals("cpu.count")).toList();
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
  }

  private static boolean has(List<Sample> samples, String metric) {
    return samples.stream().anyMatch(s -> s.metric().equals(metric));
  }

  private static double value(List<Sample> samples, String metric, String tags) {
    Optional<Sample> found = samples.stream().filter(s -> s.metric().equals(metric) && s.tags().equals(tags)).findFirst();
    assertTrue(found.isPresent(), () -> "no " + metric + " {" + tags + "} in " + samples);
    return found.get().value();
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
