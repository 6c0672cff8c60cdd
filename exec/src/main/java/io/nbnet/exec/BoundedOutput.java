package io.nbnet.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a stream to its end, keeping at most {@code limit} bytes. Everything past the limit is read
 * and dropped, so the child never blocks on a full pipe and memory stays bounded.
 */
final class BoundedOutput implements Runnable {

  private final InputStream in;
  private final int limit;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private volatile boolean truncated;

  BoundedOutput(InputStream in, int limit) {
    this.in = in;
    this.limit = limit;
  }

  @Override
  public void run() {
    byte[] chunk = new byte[8192];
    try {
      int read;
      while ((read = in.read(chunk)) >= 0) {
        int room = limit - kept.size();
        if (room > 0) {
          kept.write(chunk, 0, Math.min(room, read));
        }
        if (read > room) {
          truncated = true;
        }
      }
    } catch (IOException e) {
      // the pipe was closed under us: the process group was killed
    }
  }

  boolean truncated() {
    return truncated;
  }

  /** Call once {@link #run} has returned. */
  String text() {
    return kept.toString(StandardCharsets.UTF_8);
  }
}
