package io.nbnet.buffer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A process that appends to a spool on command, for {@link SpoolFullDiskTest}: it runs under a file
 * size limit, so its disk fills up for real. Reads {@code append FROM TO} and {@code close} on stdin,
 * answers {@code appended N failed M} per command.
 */
public final class SpoolAppender {

  private SpoolAppender() {
  }

  public static void main(String[] args) throws Exception {
    SpoolConfig options = new SpoolConfig(Path.of(args[0]), 1 << 30, 1 << 20, SpoolConfig.Fsync.NEVER, 1000,
      SpoolConfig.WhenFull.DROP_OLDEST, 1 << 20);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (DiskSpool spool = DiskSpool.open(options)) {
      System.out.println("ready");
      String line;
      while ((line = in.readLine()) != null && !line.equals("close")) {
        String[] words = line.split(" ");
        int appended = 0;
        int failed = 0;
        for (int i = Integer.parseInt(words[1]); i < Integer.parseInt(words[2]); i++) {
          try {
            spool.append(SpoolFullDiskTest.frame(i));
            appended++;
          } catch (UncheckedIOException e) {
            failed++;
          }
        }
        System.out.println("appended " + appended + " failed " + failed);
      }
    }
    System.out.println("closed");
  }
}
