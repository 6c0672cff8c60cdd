package io.nbnet.collector.proc;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Asks {@code df -P -i} for the inode counts of the given mounts. A hung filesystem (a dead NFS
 * server) must not stall sampling: after a few seconds df is killed and inodes are left out.
 */
final class DfCommand implements HostSampler.InodeSource {

  private static final Logger log = Logger.getLogger(DfCommand.class.getName());
  private static final long TIMEOUT_SECONDS = 5;

  @Override
  public Map<String, DfInodes.Inodes> inodes(List<Mounts.Mount> mounts) {
    if (mounts.isEmpty()) {
      return Map.of();
    }
    List<String> command = new ArrayList<>(List.of("df", "-P", "-i", "--"));
    mounts.forEach(mount -> command.add(mount.path()));
    Path output = null;
    try {
      // output goes to a file so that a hung df cannot block a pipe read past the timeout
      output = Files.createTempFile("nbnet-df", ".txt");
      Process df = new ProcessBuilder(command)
        .redirectOutput(output.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
      if (!df.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        df.destroyForcibly();
        log.warning("df -i did not finish within " + TIMEOUT_SECONDS + " s; inode counts left out");
        return Map.of();
      }
      return DfInodes.parse(Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      log.log(Level.FINE, "df -i failed; inode counts left out", e);
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    } finally {
      deleteQuietly(output);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        log.log(Level.FINE, "cannot delete " + file, e);
      }
    }
  }
}
