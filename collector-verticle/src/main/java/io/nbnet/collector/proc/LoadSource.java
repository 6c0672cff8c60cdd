package io.nbnet.collector.proc;

import io.nbnet.formats.Tags;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code load}: load averages, and processes: how many exist, run, wait for I/O, and threads. */
final class LoadSource implements Source {

  @Override
  public String name() {
    return "load";
  }

  @Override
  public void sample(ProcFiles files, SampleSink out) {
    LoadAvg load = LoadAvg.parse(files.read("loadavg"));
    KernelStat stat = KernelStat.parse(files.read("stat"));
    out.add("load.1", Tags.NONE, load.load1());
    out.add("load.5", Tags.NONE, load.load5());
    out.add("load.15", Tags.NONE, load.load15());
    out.add("proc.total", Tags.NONE, countProcesses(files.procRoot()));
    out.add("proc.running", Tags.NONE, stat.procsRunning());
    out.add("proc.blocked", Tags.NONE, stat.procsBlocked());
    out.add("proc.threads", Tags.NONE, load.threads());
  }

  private static long countProcesses(Path procRoot) {
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
}
