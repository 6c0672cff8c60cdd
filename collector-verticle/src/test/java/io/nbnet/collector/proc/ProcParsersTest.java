package io.nbnet.collector.proc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Parsers on /proc files captured from a 2-core VM (src/test/resources/proc-fixture). */
class ProcParsersTest {

  static final Path FIXTURE = Path.of("src/test/resources/proc-fixture");
  static final Path FIXTURE_LATER = Path.of("src/test/resources/proc-fixture-later");

  static String read(Path folder, String file) throws IOException {
    return Files.readString(folder.resolve(file));
  }

  @Test
  @DisplayName("/proc/stat: the aggregate cpu line and the running and blocked process counts")
  void parsesKernelStat() throws IOException {
    KernelStat stat = KernelStat.parse(read(FIXTURE, "stat"));
    assertEquals(new CpuTimes(8723, 0, 3343, 89168, 1492, 0, 75, 19), stat.cpu());
    assertEquals(1, stat.procsRunning());
    assertEquals(0, stat.procsBlocked());
  }

  @Test
  @DisplayName("CPU shares are each state's part of the ticks between two readings")
  void computesCpuShares() throws IOException {
    CpuTimes before = KernelStat.parse(read(FIXTURE, "stat")).cpu();
    CpuTimes after = KernelStat.parse(read(FIXTURE_LATER, "stat")).cpu();
    Map<String, Double> shares = after.percentagesSince(before);
    // deltas: user 19, system 27, idle 4188, iowait 3 -> 4237 ticks
    assertEquals(100.0 * 19 / 4237, shares.get("user"), 1e-9);
    assertEquals(100.0 * 27 / 4237, shares.get("system"), 1e-9);
    assertEquals(100.0 * 4188 / 4237, shares.get("idle"), 1e-9);
    assertEquals(100.0 * 3 / 4237, shares.get("iowait"), 1e-9);
    assertEquals(0.0, shares.get("steal"));
    assertEquals(100.0, shares.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    assertEquals(Map.of(), before.percentagesSince(before));
  }

  @Test
  @DisplayName("/proc/meminfo in bytes; used is total - free - buffers - cached, as the legacy agent had it")
  void parsesMemInfo() throws IOException {
    MemInfo mem = MemInfo.parse(read(FIXTURE, "meminfo"));
    assertEquals(24684084L * 1024, mem.total());
    assertEquals(23554020L * 1024, mem.free());
    assertEquals(23973928L * 1024, mem.available());
    assertEquals((24684084L - 23554020L - 140696L - 473212L) * 1024, mem.used());
    assertEquals(0, mem.swapUsed());
  }

  @Test
  @DisplayName("/proc/loadavg: three averages and the thread count")
  void parsesLoadAvg() throws IOException {
    assertEquals(new LoadAvg(0.30, 0.32, 0.17, 140), LoadAvg.parse(read(FIXTURE, "loadavg")));
  }

  @Test
  @DisplayName("/proc/diskstats: whole disks only, loop devices and partitions left out")
  void parsesDiskStats() throws IOException {
    Map<String, DiskCounters> disks = DiskCounters.parse(read(FIXTURE, "diskstats"));
    assertEquals(List.of("vda", "zram0"), List.copyOf(disks.keySet()));
    assertEquals(new DiskCounters(81340, 63408, 3033914, 34182, 17458, 2694720, 0, 18384, 81697), disks.get("vda"));
    // the three line lengths kernels write: 14 fields (before 4.18), 18 (discards), 20 (flushes); the first 14 mean the same
    String fourteen = " 8 16 sdb 10 1 80 7 20 2 160 9 1 30 16\n";
    String eighteen = " 8 16 sdb 10 1 80 7 20 2 160 9 1 30 16 4 0 64 3\n";
    String twenty = " 8 16 sdb 10 1 80 7 20 2 160 9 1 30 16 4 0 64 3 5 2\n";
    DiskCounters expected = new DiskCounters(10, 7, 80, 20, 9, 160, 1, 30, 16);
    assertEquals(expected, DiskCounters.parse(fourteen).get("sdb"));
    assertEquals(expected, DiskCounters.parse(eighteen).get("sdb"));
    assertEquals(expected, DiskCounters.parse(twenty).get("sdb"));
    String withPartitions = " 8 0 sda 1 0 8 0 2 0 16 0 0 3 0 0 0 0 0\n 8 1 sda1 1 0 8 0 2 0 16 0 0 3 0 0 0 0 0\n"
      + " 259 0 nvme0n1 5 0 8 0 2 0 16 0 0 3 0 0 0 0 0\n 259 1 nvme0n1p1 5 0 8 0 2 0 16 0 0 3 0 0 0 0 0\n";
    assertEquals(List.of("sda", "nvme0n1"), List.copyOf(DiskCounters.parse(withPartitions).keySet()));
  }

  @Test
  @DisplayName("/proc/net/dev: byte, packet, error and drop counters per interface")
  void parsesNetDev() throws IOException {
    Map<String, NetCounters> nets = NetCounters.parse(read(FIXTURE, "net/dev"));
    assertEquals(List.of("lo", "ifb0", "ifb1", "eth0"), List.copyOf(nets.keySet()));
    assertEquals(new NetCounters(219577594, 5318, 0, 0, 467345, 3869, 0, 0), nets.get("eth0"));
  }

  @Test
  @DisplayName("/proc/net/tcp and tcp6: sockets counted per state, every state present")
  void countsTcpStates() throws IOException {
    Map<String, Long> states = TcpStates.count(read(FIXTURE, "net/tcp"), read(FIXTURE, "net/tcp6"));
    assertEquals(11, states.get("listen"));
    assertEquals(2, states.get("established"));
    assertEquals(2, states.get("time_wait"));
    assertEquals(0, states.get("close_wait"));
    assertEquals(11, states.size());
  }

  @Test
  @DisplayName("/proc/mounts: pseudo filesystems skipped, each mount point once, octal escapes decoded")
  void parsesMounts() throws IOException {
    assertEquals(List.of(new Mounts.Mount("/dev/vda", "/", "ext4")), Mounts.parse(read(FIXTURE, "mounts")));
    assertEquals(List.of(new Mounts.Mount("/dev/sdb1", "/mnt/my disk", "xfs")),
      Mounts.parse("/dev/sdb1 /mnt/my\\040disk xfs rw 0 0\nproc /proc proc rw 0 0\n"));
  }

  @Test
  @DisplayName("df -P -i output: inode counts per mount point")
  void parsesDfInodes() throws IOException {
    Map<String, DfInodes.Inodes> inodes = DfInodes.parse(Files.readString(Path.of("src/test/resources/df-inodes.txt")));
    assertEquals(new DfInodes.Inodes(16777216, 410283, 16366933), inodes.get("/"));
    assertFalse(inodes.containsKey("Mounted on"));
  }
}
