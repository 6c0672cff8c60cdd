package io.nbnet.buffer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A disk that fills up for real: a process appending to a spool under a file size limit
 * ({@code ulimit -f}, with SIGXFSZ ignored, so writes past it fail like ENOSPC), then given room
 * again ({@code prlimit}) while it keeps running.
 */
class SpoolFullDiskTest {

  private static final int FRAME_BYTES = 1000;

  @TempDir
  Path folder;

  @Test
  @DisplayName("a full disk mid-append leaves no partial record: once there is room again, every frame written reads back in order")
  void rollsBackFailedAppends() throws Exception {
    Process child = new ProcessBuilder("bash", "-c", "trap '' XFSZ; ulimit -S -f 64; exec \"$0\" -cp \"$1\" io.nbnet.buffer.SpoolAppender \"$2\"",
      Path.of(System.getProperty("java.home"), "bin", "java").toString(), System.getProperty("java.class.path"), folder.toString())
      .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      PrintWriter in = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8);
      assertEquals("ready", out.readLine());
      in.println("append 0 100");
      String full = out.readLine();
      int written = Integer.parseInt(full.split(" ")[1]);
      assertTrue(written > 10 && written < 100 && full.endsWith("failed " + (100 - written)), full);

      Process raise = new ProcessBuilder("prlimit", "--pid", String.valueOf(child.pid()), "--fsize=unlimited:").inheritIO().start();
      assertTrue(raise.waitFor(10, TimeUnit.SECONDS) && raise.exitValue() == 0, "prlimit raised the limit");
      in.println("append 100 120");
      assertEquals("appended 20 failed 0", out.readLine());
      in.println("close");
      assertEquals("closed", out.readLine());
      assertTrue(child.waitFor(10, TimeUnit.SECONDS));

      List<String> expected = new ArrayList<>();
      for (int i = 0; i < written; i++) {
        expected.add(name(i));
      }
      for (int i = 100; i < 120; i++) {
        expected.add(name(i));
      }
      try (DiskSpool spool = DiskSpool.open(new SpoolConfig(folder, 1 << 30, 1 << 20, SpoolConfig.Fsync.NEVER, 1000,
        SpoolConfig.WhenFull.DROP_OLDEST, 1 << 20))) {
        List<String> read = spool.read(1000).stream().map(frame -> new String(frame, 0, 9, StandardCharsets.UTF_8)).toList();
        assertEquals(expected, read);
        assertEquals(0, spool.corruptRecords());
      }
    } finally {
      child.destroyForcibly();
    }
  }

  static byte[] frame(int number) {
    byte[] frame = new byte[FRAME_BYTES];
    java.util.Arrays.fill(frame, (byte) 'x');
    byte[] name = name(number).getBytes(StandardCharsets.UTF_8);
    System.arraycopy(name, 0, frame, 0, name.length);
    return frame;
  }

  private static String name(int number) {
    return String.format("frame%04d", number);
  }
}
