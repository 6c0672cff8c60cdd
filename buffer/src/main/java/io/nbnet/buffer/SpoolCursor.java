package io.nbnet.buffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.TreeMap;

/** The file that remembers where the first record not yet acknowledged starts: {@code "<segment> <offset>"}. */
final class SpoolCursor {

  private final Path file;
  private final Path temporary;

  SpoolCursor(Path folder) {
    this.file = folder.resolve("cursor");
    this.temporary = folder.resolve("cursor.tmp");
  }

  /** The saved position; the start of the first segment when there is none or it cannot be read. */
  SegmentLog.Position read(TreeMap<Long, Long> segments, long writeSegment) throws IOException {
    SegmentLog.Position first = new SegmentLog.Position(segments.firstKey(), SegmentRecords.SEGMENT_HEADER.length);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (NoSuchFileException e) {
      return first;
    }
    String[] parts = text.split(" ");
    SegmentLog.Position saved;
    try {
      saved = new SegmentLog.Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    } catch (RuntimeException e) {
      return first; // an unreadable cursor sends everything again: duplicates, never a loss
    }
    Long size = segments.get(saved.segment());
    if (size == null) {
      Long next = segments.ceilingKey(saved.segment());
      return new SegmentLog.Position(next != null ? next : writeSegment, SegmentRecords.SEGMENT_HEADER.length);
    }
    if (saved.offset() < SegmentRecords.SEGMENT_HEADER.length || saved.offset() > size) {
      return new SegmentLog.Position(saved.segment(), SegmentRecords.SEGMENT_HEADER.length);
    }
    return saved;
  }

  void write(SegmentLog.Position position) throws IOException {
    Files.writeString(temporary, position.segment() + " " + position.offset() + "\n", StandardCharsets.US_ASCII);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
