package io.nbnet.buffer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spool on real files, reopened the way a restarted process reopens it. */
class FrameSpoolTest {

  @TempDir
  Path folder;

  private SpoolOptions options(long maxBytes, SpoolOptions.WhenFull whenFull) {
    return new SpoolOptions(folder, maxBytes, 4096, SpoolOptions.Fsync.ALWAYS, 1000, whenFull);
  }

  @Test
  @DisplayName("frames come out in order, stay until acknowledged, and a reopened spool resumes at the cursor")
  void keepsOrderAcrossRestarts() throws IOException {
    try (FrameSpool spool = FrameSpool.open(options(1 << 20, SpoolOptions.WhenFull.DROP_OLDEST))) {
      for (int i = 0; i < 100; i++) {
        assertTrue(spool.append(frame(i)));
      }
      assertEquals(texts(0, 10), texts(spool.read(10)));
      spool.acknowledge(10, spool.epoch());
      assertEquals(texts(10, 15), texts(spool.read(5)));
      assertEquals(90, spool.pendingFrames());
    }
    try (FrameSpool reopened = FrameSpool.open(options(1 << 20, SpoolOptions.WhenFull.DROP_OLDEST))) {
      assertEquals(90, reopened.pendingFrames(), "read but unacknowledged frames come back after a restart");
      assertEquals(texts(10, 100), texts(reopened.read(1000)));
      reopened.acknowledge(90, reopened.epoch());
      assertEquals(0, reopened.pendingFrames());
      assertTrue(reopened.append(frame(100)));
    }
    try (FrameSpool again = FrameSpool.open(options(1 << 20, SpoolOptions.WhenFull.DROP_OLDEST))) {
      assertEquals(texts(100, 101), texts(again.read(10)));
    }
  }

  @Test
  @DisplayName("rewind hands out again what was read and not acknowledged (a lost connection)")
  void rewinds() throws IOException {
    try (FrameSpool spool = FrameSpool.open(options(1 << 20, SpoolOptions.WhenFull.DROP_OLDEST))) {
      for (int i = 0; i < 5; i++) {
        spool.append(frame(i));
      }
      spool.read(3);
      spool.acknowledge(1, spool.epoch());
      spool.rewind();
      assertEquals(texts(1, 5), texts(spool.read(10)));
    }
  }

  @Test
  @DisplayName("a record torn by a crash in the middle of an append is cut off; the frames before it survive")
  void cutsTornRecord() throws IOException {
    try (FrameSpool spool = FrameSpool.open(options(1 << 20, SpoolOptions.WhenFull.DROP_OLDEST))) {
      for (int i = 0; i < 3; i++) {
        spool.append(frame(i));
      }
    }
    Path segment;
    try (Stream<Path> files = Files.list(folder)) {
      segment = files.filter(f -> f.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.truncate(Files.size(segment) - 3);
    }
    try (FrameSpool reopened = FrameSpool.open(options(1 << 20, SpoolOptions.WhenFull.DROP_OLDEST))) {
      assertEquals(texts(0, 2), texts(reopened.read(10)));
      assertTrue(reopened.append(frame(3)));
      assertEquals(texts(3, 4), texts(reopened.read(10)));
    }
  }

  @Test
  @DisplayName("past its size limit the spool drops its oldest frames and counts them; memory is not involved")
  void dropsOldestWhenFull() throws IOException {
    try (FrameSpool spool = FrameSpool.open(options(16 * 1024, SpoolOptions.WhenFull.DROP_OLDEST))) {
      for (int i = 0; i < 2000; i++) {
        spool.append(frame(i));
      }
      assertTrue(spool.totalBytes() <= 16 * 1024);
      assertTrue(spool.droppedFrames() > 0);
      assertEquals(2000, spool.droppedFrames() + spool.pendingFrames());
      List<byte[]> left = spool.read(5000);
      assertEquals(spool.pendingFrames(), left.size());
      assertEquals("frame-1999", new String(left.get(left.size() - 1), StandardCharsets.UTF_8), "the newest frames are kept");
    }
  }

  @Test
  @DisplayName("with drop-newest a full spool refuses new frames and counts them")
  void refusesNewestWhenFull() throws IOException {
    try (FrameSpool spool = FrameSpool.open(options(16 * 1024, SpoolOptions.WhenFull.DROP_NEWEST))) {
      int accepted = 0;
      for (int i = 0; i < 2000; i++) {
        accepted += spool.append(frame(i)) ? 1 : 0;
      }
      assertEquals(2000 - accepted, spool.droppedFrames());
      assertFalse(spool.append(frame(9999)));
      assertEquals("frame-0", new String(spool.read(1).get(0), StandardCharsets.UTF_8), "the oldest frames are kept");
    }
  }

  @Test
  @DisplayName("acknowledgements for frames read before a drop are ignored")
  void ignoresStaleAcknowledgements() throws IOException {
    try (FrameSpool spool = FrameSpool.open(options(16 * 1024, SpoolOptions.WhenFull.DROP_OLDEST))) {
      spool.append(frame(0));
      spool.read(1);
      long readEpoch = spool.epoch();
      for (int i = 1; i < 2000; i++) {
        spool.append(frame(i));
      }
      long pending = spool.pendingFrames();
      spool.acknowledge(1, readEpoch);
      assertEquals(pending, spool.pendingFrames());
    }
  }

  private static byte[] frame(int i) {
    return ("frame-" + i).getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> texts(int from, int to) {
    List<String> texts = new ArrayList<>();
    for (int i = from; i < to; i++) {
      texts.add("frame-" + i);
    }
    return texts;
  }

  private static List<String> texts(List<byte[]> frames) {
    return frames.stream().map(f -> new String(f, StandardCharsets.UTF_8)).toList();
  }
}
