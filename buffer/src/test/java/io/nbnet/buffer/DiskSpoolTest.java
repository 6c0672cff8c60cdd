package io.nbnet.buffer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiskSpoolTest {

  @TempDir
  Path folder;

  private SpoolConfig options(long maxBytes, long segmentBytes, SpoolConfig.WhenFull whenFull) {
    return new SpoolConfig(folder, maxBytes, segmentBytes, SpoolConfig.Fsync.NEVER, 1000, whenFull, 1 << 20);
  }

  private SpoolConfig roomy() {
    return options(1 << 20, 4096, SpoolConfig.WhenFull.DROP_OLDEST);
  }

  @Test
  @DisplayName("frames come out in order, stay until acknowledged, and a reopened spool resumes at the cursor")
  void keepsOrderAcrossRestarts() throws IOException {
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      append(spool, 0, 10);
      assertEquals(List.of("frame-0", "frame-1", "frame-2"), texts(spool.read(3)));
      spool.acknowledge(3, spool.epoch());
      assertEquals(7, spool.pendingFrames());
    }
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      assertEquals(7, spool.pendingFrames());
      assertEquals(names(3, 10), texts(spool.read(100)));
    }
  }

  @Test
  @DisplayName("rewind hands out again what was read and not acknowledged (a lost connection)")
  void rewinds() throws IOException {
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      append(spool, 0, 5);
      spool.read(2);
      spool.acknowledge(1, spool.epoch());
      spool.read(2);
      spool.rewind();
      assertEquals(names(1, 5), texts(spool.read(10)));
    }
  }

  @Test
  @DisplayName("one process at a time: a second open of the same folder is refused")
  void locksTheFolder() throws IOException {
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      IOException second = assertThrows(IOException.class, () -> DiskSpool.open(roomy()));
      assertTrue(second.getMessage().contains("is used by another process"), second.getMessage());
    }
  }

  @Test
  @DisplayName("a flipped byte costs one record: it becomes a dead letter, every other frame comes out in order")
  void flippedByteCostsOneRecord() throws IOException {
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      append(spool, 0, 600);
    }
    List<Path> segments = segments();
    assertTrue(segments.size() >= 3, "several segments: " + segments.size());
    Path middle = segments.get(1);
    flipByte(middle, 200);
    Path last = segments.get(segments.size() - 1);
    flipByte(last, Files.size(last) / 2);
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      List<String> read = texts(spool.read(1000));
      assertEquals(598, read.size(), "two records lost to two flipped bytes");
      assertEquals(sortedByNumber(read), read, "in order");
      assertEquals(2, spool.corruptRecords());
      assertEquals(2, spool.deadLetters());
    }
  }

  @Test
  @DisplayName("a zero-filled tail (power loss with fsync interval) is cut off at open, never read as empty frames")
  void cutsZeroFilledTail() throws IOException {
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      append(spool, 0, 3);
    }
    Path last = segments().get(segments().size() - 1);
    long size = Files.size(last);
    try (RandomAccessFile file = new RandomAccessFile(last.toFile(), "rw")) {
      file.setLength(size + 3000);
    }
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      assertEquals(names(0, 3), texts(spool.read(100)));
      assertEquals(size, Files.size(last), "the zeros were cut off");
      assertEquals(0, spool.deadLetters());
      append(spool, 3, 5);
      spool.rewind();
      assertEquals(names(0, 5), texts(spool.read(100)));
    }
  }

  @Test
  @DisplayName("a record torn by a crash in the middle of an append is cut off; the frames before it survive")
  void cutsTornRecord() throws IOException {
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      append(spool, 0, 3);
    }
    Path last = segments().get(segments().size() - 1);
    try (RandomAccessFile file = new RandomAccessFile(last.toFile(), "rw")) {
      file.setLength(file.length() - 3);
    }
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      assertEquals(names(0, 2), texts(spool.read(100)));
    }
  }

  @Test
  @DisplayName("a negative length in a middle segment neither hangs open nor loses the records after it")
  void survivesNegativeLength() throws IOException {
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      append(spool, 0, 600);
    }
    Path middle = segments().get(1);
    writeInt(middle, SegmentRecords.SEGMENT_HEADER.length + 4, -5);
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      List<String> read = texts(spool.read(1000));
      assertEquals(599, read.size());
      assertEquals(sortedByNumber(read), read);
    }
  }

  @Test
  @DisplayName("a huge length is damage, not an allocation: the spool opens and keeps the records after it")
  void survivesHugeLength() throws IOException {
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      append(spool, 0, 600);
    }
    Path middle = segments().get(1);
    writeInt(middle, SegmentRecords.SEGMENT_HEADER.length + 4, Integer.MAX_VALUE - 1);
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      assertEquals(599, spool.read(1000).size());
    }
  }

  @Test
  @DisplayName("a segment truncated in the middle: the records before the cut and in the later segments are read")
  void survivesTruncatedSegment() throws IOException {
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      append(spool, 0, 600);
    }
    Path middle = segments().get(1);
    try (RandomAccessFile file = new RandomAccessFile(middle.toFile(), "rw")) {
      file.setLength(file.length() / 2 + 5);
    }
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      List<String> read = texts(spool.read(1000));
      assertEquals(sortedByNumber(read), read);
      assertTrue(read.contains("frame-599") && read.contains("frame-0"), read.toString());
      assertEquals(1, spool.deadLetters(), "the cut record is kept as a dead letter");
    }
  }

  @Test
  @DisplayName("past its size limit the spool drops its oldest frames and counts them")
  void dropsOldestWhenFull() throws IOException {
    SpoolConfig small = options(64 * 1024, 16 * 1024, SpoolConfig.WhenFull.DROP_OLDEST);
    try (DiskSpool spool = DiskSpool.open(small)) {
      for (int i = 0; i < 200; i++) {
        assertTrue(spool.append(("frame-" + i + "-" + "x".repeat(500)).getBytes(StandardCharsets.UTF_8)));
      }
      assertTrue(spool.totalBytes() <= 64 * 1024);
      assertTrue(spool.droppedFrames() > 0);
      List<byte[]> rest = spool.read(1000);
      assertEquals(200, rest.size() + spool.droppedFrames());
      assertTrue(new String(rest.get(rest.size() - 1), StandardCharsets.UTF_8).startsWith("frame-199-"));
    }
  }

  @Test
  @DisplayName("with drop-newest a full spool refuses new frames and counts them")
  void refusesNewestWhenFull() throws IOException {
    SpoolConfig small = options(64 * 1024, 16 * 1024, SpoolConfig.WhenFull.DROP_NEWEST);
    try (DiskSpool spool = DiskSpool.open(small)) {
      int accepted = 0;
      for (int i = 0; i < 200; i++) {
        accepted += spool.append(("frame-" + i + "-" + "x".repeat(500)).getBytes(StandardCharsets.UTF_8)) ? 1 : 0;
      }
      assertTrue(accepted < 200);
      assertEquals(200 - accepted, spool.droppedFrames());
      assertTrue(new String(spool.read(1).get(0), StandardCharsets.UTF_8).startsWith("frame-0-"));
    }
  }

  @Test
  @DisplayName("acknowledgements for frames read before a drop are ignored")
  void ignoresStaleAcknowledgements() throws IOException {
    SpoolConfig small = options(64 * 1024, 16 * 1024, SpoolConfig.WhenFull.DROP_OLDEST);
    try (DiskSpool spool = DiskSpool.open(small)) {
      spool.append("first".getBytes(StandardCharsets.UTF_8));
      long epoch = spool.epoch();
      spool.read(1);
      for (int i = 0; i < 200; i++) {
        spool.append(("frame-" + i + "-" + "x".repeat(500)).getBytes(StandardCharsets.UTF_8));
      }
      long pending = spool.pendingFrames();
      spool.acknowledge(1, epoch);
      assertEquals(pending, spool.pendingFrames());
    }
  }

  @Test
  @DisplayName("a spool written in the old record format (before magic and CRC-32C) is upgraded at open, from its cursor")
  void upgradesVersionOneSegments() throws IOException {
    Path segment = SegmentRecords.segmentFile(folder, 1);
    ByteBuffer bytes = ByteBuffer.allocate(4096);
    long cursor = 0;
    for (int i = 0; i < 5; i++) {
      byte[] payload = ("old-" + i).getBytes(StandardCharsets.UTF_8);
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      crc.update(payload);
      bytes.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
      if (i == 1) {
        cursor = bytes.position();
      }
    }
    Files.write(segment, java.util.Arrays.copyOf(bytes.array(), bytes.position()));
    Files.writeString(folder.resolve("cursor"), "1 " + cursor + "\n");
    try (DiskSpool spool = DiskSpool.open(roomy())) {
      assertEquals(List.of("old-2", "old-3", "old-4"), texts(spool.read(10)));
    }
  }

  static void append(DiskSpool spool, int from, int to) {
    for (int i = from; i < to; i++) {
      assertTrue(spool.append(("frame-" + i).getBytes(StandardCharsets.UTF_8)));
    }
  }

  static List<String> names(int from, int to) {
    List<String> names = new ArrayList<>();
    for (int i = from; i < to; i++) {
      names.add("frame-" + i);
    }
    return names;
  }

  static List<String> texts(List<byte[]> frames) {
    return frames.stream().map(frame -> new String(frame, StandardCharsets.UTF_8)).toList();
  }

  private static List<String> sortedByNumber(List<String> names) {
    return names.stream().sorted((a, b) -> Integer.compare(number(a), number(b))).toList();
  }

  private static int number(String name) {
    return Integer.parseInt(name.substring(name.indexOf('-') + 1));
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".seg")).sorted().toList();
    }
  }

  private static void flipByte(Path file, long offset) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0x40);
    }
  }

  private static void writeInt(Path file, long offset, int value) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      raf.writeInt(value);
    }
    assertFalse(Files.size(file) == 0);
  }
}
