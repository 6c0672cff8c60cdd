package io.nbnet.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a spool folder without changing it, for {@code ./nbnet spool inspect}: its segments, the
 * frames waiting after the cursor, damaged stretches, and the dead letters with their reasons. Safe
 * to run beside the process that owns the spool.
 */
public final class SpoolInspector {

  /** One segment file and what it holds. */
  public record Segment(Path file, long bytes, int records, List<String> damage) {
  }

  /** One record: its size and the start of its content, printable. */
  public record Entry(int bytes, String preview) {
  }

  /** One dead letter: why, and the start of its content. */
  public record DeadLetter(String reason, int bytes, String preview) {
  }

  /** What a spool folder holds. */
  public record Report(Path folder, String cursor, List<Segment> segments, List<Entry> oldest, List<Entry> newest,
                       long waiting, List<DeadLetter> deadLetters) {
  }

  private SpoolInspector() {
  }

  /** @param show how many of the oldest and newest frames, and of the dead letters, to preview */
  public static Report inspect(Path folder, int show) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new IOException(folder + " is not a spool folder");
    }
    String cursorText = Files.exists(folder.resolve("cursor")) ? Files.readString(folder.resolve("cursor")).trim() : "none";
    long[] cursor = parseCursor(cursorText);
    List<Segment> segments = new ArrayList<>();
    List<Entry> waiting = new ArrayList<>();
    long count = 0;
    for (Path file : segmentFiles(folder)) {
      long number = Long.parseLong(file.getFileName().toString().replace(SegmentLog.SEGMENT_SUFFIX, ""));
      List<String> damage = new ArrayList<>();
      int records = 0;
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = channel.size();
        long position = SegmentRecords.SEGMENT_HEADER.length;
        while (position < size) {
          SegmentRecords.Read read = SegmentRecords.readAt(channel, position, size);
          if (read.payload() == null) {
            long next = SegmentRecords.nextGoodRecord(channel, position + 1, size);
            damage.add("offset " + position + ": " + read.problem() + ", " + (next - position) + " bytes"
              + (next == size ? " to the end (a torn tail)" : ""));
            position = next;
            continue;
          }
          records++;
          boolean pending = number > cursor[0] || number == cursor[0] && position >= cursor[1];
          if (pending) {
            count++;
            waiting.add(new Entry(read.payload().length, preview(read.payload())));
            if (waiting.size() > 2L * show) {
              waiting.remove(show);
            }
          }
          position += SegmentRecords.HEADER + read.payload().length;
        }
        segments.add(new Segment(file, size, records, damage));
      }
    }
    List<Entry> oldest = waiting.subList(0, Math.min(show, waiting.size()));
    List<Entry> newest = waiting.size() > show ? waiting.subList(show, waiting.size()) : List.of();
    return new Report(folder, cursorText, segments, List.copyOf(oldest), List.copyOf(newest), count, deadLetters(folder, show));
  }

  private static List<DeadLetter> deadLetters(Path folder, int show) throws IOException {
    Path dead = folder.resolve("dead");
    List<DeadLetter> letters = new ArrayList<>();
    if (!Files.isDirectory(dead)) {
      return letters;
    }
    for (Path file : segmentFiles(dead)) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = channel.size();
        long position = SegmentRecords.SEGMENT_HEADER.length;
        while (position < size && letters.size() < show) {
          SegmentRecords.Read read = SegmentRecords.readAt(channel, position, size);
          if (read.payload() == null) {
            position = SegmentRecords.nextGoodRecord(channel, position + 1, size);
            continue;
          }
          ByteBuffer letter = ByteBuffer.wrap(read.payload());
          int reasonLength = Short.toUnsignedInt(letter.getShort());
          String reason = new String(read.payload(), 2, reasonLength, StandardCharsets.UTF_8);
          byte[] frame = new byte[read.payload().length - 2 - reasonLength];
          letter.position(2 + reasonLength);
          letter.get(frame);
          letters.add(new DeadLetter(reason, frame.length, preview(frame)));
          position += SegmentRecords.HEADER + read.payload().length;
        }
      }
    }
    return letters;
  }

  private static List<Path> segmentFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(file -> file.getFileName().toString().endsWith(SegmentLog.SEGMENT_SUFFIX)).sorted().toList();
    }
  }

  private static long[] parseCursor(String text) {
    try {
      String[] parts = text.split(" ");
      return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    } catch (RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /** The first line of the content, at most 100 characters, control characters escaped. */
  static String preview(byte[] frame) {
    String text = new String(frame, 0, Math.min(frame.length, 200), StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    String first = newline >= 0 ? text.substring(0, newline) : text;
    StringBuilder shown = new StringBuilder();
    for (char c : first.toCharArray()) {
      shown.append(c < 0x20 || c == 0x7f ? '.' : c);
      if (shown.length() >= 100) {
        shown.append("...");
        break;
      }
    }
    return shown.toString();
  }
}
