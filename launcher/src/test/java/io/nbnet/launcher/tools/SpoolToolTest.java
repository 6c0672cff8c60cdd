package io.nbnet.launcher.tools;

import io.nbnet.buffer.DiskSpool;
import io.nbnet.buffer.SpoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SpoolToolTest {

  @Test
  void resendWhileTheOwnerRunsIsRefusedInOneLine(@TempDir Path folder) throws Exception {
    SpoolConfig options = new SpoolConfig(folder, 1L << 30, 16L << 20, SpoolConfig.Fsync.NEVER, 1000, SpoolConfig.WhenFull.DROP_OLDEST, 1L << 20);
    try (DiskSpool owner = DiskSpool.open(options)) {
      StringWriter err = new StringWriter();
      CommandLine command = SpoolTool.commandLine();
      command.setErr(new PrintWriter(err, true));
      assertEquals(1, command.execute("resend", folder.toString()));
      assertEquals("nbnet spool resend: spool " + folder + " is used by another process: stop its owner (the collector or trans using it) first,"
        + " then resend", err.toString().trim());
      assertFalse(err.toString().contains("\tat "), "no stack trace");
    }
  }
}
