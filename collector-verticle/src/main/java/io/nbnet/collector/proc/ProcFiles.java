package io.nbnet.collector.proc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the sources read: a proc folder (normally /proc) and a sys folder (normally /sys). */
public record ProcFiles(Path procRoot, Path sysRoot) {

  public String read(String procFile) {
    return readFile(procRoot.resolve(procFile));
  }

  public boolean exists(String procFile) {
    return Files.exists(procRoot.resolve(procFile));
  }

  /**
   * The whole file, read until its end: files of /proc report a size of 0, and Files.readString
   * returns only the first byte of some (/proc/sys/fs/file-nr on Java 17).
   */
  static String readFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
