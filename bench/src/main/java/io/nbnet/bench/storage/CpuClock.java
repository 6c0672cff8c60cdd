package io.nbnet.bench.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
  private long startNanos;

  CpuClock watch(String name, long pid) {
    pids.put(name, pid);
    return this;
  }

  /** Watches the local MariaDB or MySQL server, when one runs on this machine. */
  CpuClock watchDatabaseServer() {
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      processes.filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit))
        .filter(path -> comm(path).map(name -> name.equals("mariadbd") || name.equals("mysqld")).orElse(false))
        .findFirst()
        .ifPresent(path -> watch("database", Long.parseLong(path.getFileName().toString())));
    } catch (IOException e) {
      // no /proc: nothing to watch
    }
    return this;
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
      double seconds = (ticks(pid) - startTicks.get(name)) / TICKS_PER_SECOND;
      line.append(String.format(" %s %.2f", name, seconds / elapsed));
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
