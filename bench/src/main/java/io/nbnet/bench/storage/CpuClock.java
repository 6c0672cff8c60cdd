package io.nbnet.bench.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU seconds (user + system, from {@code /proc/PID/stat}) that named processes used between
 * {@link #start} and {@link #stop}: where the machine's cores went during a run.
 */
final class CpuClock {

  /** Linux reports utime and stime in clock ticks; 100 per second on every common kernel. */
  private static final double TICKS_PER_SECOND = 100;

  private final Map<String, Long> pids = new LinkedHashMap<>();
  private final Map<String, Long> startTicks = new LinkedHashMap<>();
  private final Map<String, Double> seconds = new LinkedHashMap<>();
  private long startNanos;

  CpuClock watch(String name, long pid) {
    pids.put(name, pid);
    return this;
  }

  /** Watches the local MariaDB or MySQL server, when one runs on this machine. */
  CpuClock watchDatabaseServer() {
    List<Long> servers = databaseServers();
    if (!servers.isEmpty()) {
      watch("database", servers.get(0));
    }
    return this;
  }

  /** Watches every MariaDB or MySQL server on this machine: database, database-2, ... */
  CpuClock watchDatabaseServers() {
    List<Long> servers = databaseServers();
    for (int i = 0; i < servers.size(); i++) {
      watch(i == 0 ? "database" : "database-" + (i + 1), servers.get(i));
    }
    return this;
  }

  /** CPU seconds of each watched process between {@link #start} and {@link #stop}. */
  Map<String, Double> seconds() {
    return seconds;
  }

  private static List<Long> databaseServers() {
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      return processes.filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit))
        .filter(path -> comm(path).map(name -> name.equals("mariadbd") || name.equals("mysqld")).orElse(false))
        .map(path -> Long.parseLong(path.getFileName().toString())).sorted().toList();
    } catch (IOException e) {
      return List.of(); // no /proc: nothing to watch
    }
  }

  CpuClock start() {
    pids.forEach((name, pid) -> startTicks.put(name, ticks(pid)));
    startNanos = System.nanoTime();
    return this;
  }

  /** One line: each process's CPU seconds and its share of one core over the elapsed time. */
  String stop() {
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    StringBuilder line = new StringBuilder(String.format("CPU over %.1f s (cores busy, of %d):", elapsed, Runtime.getRuntime().availableProcessors()));
    pids.forEach((name, pid) -> {
      double used = (ticks(pid) - startTicks.get(name)) / TICKS_PER_SECOND;
      seconds.put(name, used);
      line.append(String.format(" %s %.2f", name, used / elapsed));
    });
    return line.toString();
  }

  private static Optional<String> comm(Path process) {
    try {
      return Optional.of(Files.readString(process.resolve("comm")).trim());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name may hold spaces: fields are counted after its closing parenthesis
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
