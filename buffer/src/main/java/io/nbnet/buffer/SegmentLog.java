package io.nbnet.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Records on disk, first in, first out, across restarts: the storage under a spool and its dead
 * letters. Records are appended to segment files ({@code <number>.seg}); a {@link SpoolCursor} remembers
 * the first record not yet acknowledged. Reading hands out records past the cursor; acknowledging
 * moves the cursor and deletes the segments left behind.
 * <p>
 * Every record carries a magic number, its length and a CRC-32C ({@link SegmentRecords}), checked on
 * every read. A record that fails the check is corruption, not the end: the log finds the next good
 * record after it (by its magic, length and CRC) and hands the bad bytes to the {@code corrupt}
 * consumer (the dead letters), so one flipped byte costs one record. Only bad bytes at the very end of
 * the last segment, with no good record after them, are a torn tail (what a crash in the middle of an
 * append, or a power loss, leaves); they are cut off at open. An append that fails half-way (a full
 * disk) is rolled back to the record before it.
 * <p>
 * The size is bounded by {@link SpoolConfig#maxBytes()}: past it the oldest segment is dropped (or
 * the new record refused), and the dropped records are counted. Methods block on disk I/O: call them
 * from one worker thread.
 */
final class SegmentLog implements AutoCloseable {

  private static final Logger log = Logger.getLogger(SegmentLog.class.getName());
  static final String SEGMENT_SUFFIX = ".seg";

  /** A place in the log: a segment and a byte offset in it. */
  record Position(long segment, long offset) {
  }

  /** Bad bytes found where a record should have been. */
  record Corruption(long segment, long offset, byte[] bytes, String reason) {
  }

  private final Path folder;
  private final long maxBytes;
  private final long segmentBytes;
  private final SpoolConfig.WhenFull whenFull;
  private final Consumer<Corruption> corrupt;
  /** segment number -> size in bytes */
  private final TreeMap<Long, Long> segments = new TreeMap<>();
  private final SpoolCursor cursorFile;
  /** The end position of every record read and not acknowledged, oldest first. */
  private final ArrayDeque<Position> readEnds = new ArrayDeque<>();
  private FileChannel writer;
  private long writeSegment;
  private Position cursor;
  private Position readPosition;
  private FileChannel reader;
  private long readerSegment = -1;
  private long records;
  private long droppedRecords;
  private long epoch;
  private boolean dirty;

  private SegmentLog(Path folder, long maxBytes, long segmentBytes, SpoolConfig.WhenFull whenFull, Consumer<Corruption> corrupt) {
    this.folder = folder;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.whenFull = whenFull;
    this.corrupt = corrupt;
    this.cursorFile = new SpoolCursor(folder);
  }

  /** Opens (or creates) the log in its folder and recovers what an earlier process left. */
  static SegmentLog open(Path folder, long maxBytes, long segmentBytes, SpoolConfig.WhenFull whenFull,
                         Consumer<Corruption> corrupt) throws IOException {
    SegmentLog segmentLog = new SegmentLog(folder, maxBytes, segmentBytes, whenFull, corrupt);
    segmentLog.recover();
    return segmentLog;
  }

  /**
   * Appends a record.
   *
   * @return false when the log was full and the record was refused (drop-newest)
   */
  boolean append(byte[] payload) {
    long recordBytes = SegmentRecords.HEADER + payload.length;
    if (totalBytes() + recordBytes > maxBytes && !makeRoom(recordBytes)) {
      droppedRecords++;
      return false;
    }
    try {
      long size = segments.get(writeSegment);
      if (size + recordBytes > segmentBytes && size > SegmentRecords.SEGMENT_HEADER.length) {
        startSegment(writeSegment + 1);
        size = segments.get(writeSegment);
      }
      writeFully(SegmentRecords.encode(payload), size);
      segments.put(writeSegment, size + recordBytes);
      records++;
      dirty = true;
      return true;
    } catch (IOException e) {
      rollBack();
      throw new UncheckedIOException("cannot append to " + folder + " (the record was not written)", e);
    }
  }

  /** Up to {@code max} records after those already read, in order; they stay until acknowledged. */
  List<byte[]> read(int max) {
    List<byte[]> found = new ArrayList<>();
    try {
      while (found.size() < max) {
        Long size = segments.get(readPosition.segment());
        if (size == null || readPosition.offset() >= size) {
          Long next = segments.higherKey(readPosition.segment());
          if (next == null) {
            break;
          }
          readPosition = new Position(next, SegmentRecords.SEGMENT_HEADER.length);
          continue;
        }
        FileChannel channel = readerFor(readPosition.segment());
        SegmentRecords.Read record = SegmentRecords.readAt(channel, readPosition.offset(), size);
        if (record.payload() == null) {
          long resume = SegmentRecords.nextGoodRecord(channel, readPosition.offset() + 1, size);
          reportCorruption(channel, readPosition, resume, record.problem());
          readPosition = new Position(readPosition.segment(), resume);
          continue;
        }
        readPosition = new Position(readPosition.segment(), readPosition.offset() + SegmentRecords.HEADER + record.payload().length);
        readEnds.add(readPosition);
        found.add(record.payload());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + folder, e);
    }
    return found;
  }

  /** Forgets what was read and not acknowledged: it will be read again. */
  void rewind() {
    readPosition = cursor;
    readEnds.clear();
  }

  /** Changes whenever records that were read may have been dropped; acknowledgements from an older epoch are ignored. */
  long epoch() {
    return epoch;
  }

  /** The {@code count} oldest records read in {@code readEpoch} were delivered: move the cursor past them. */
  void acknowledge(int count, long readEpoch) {
    if (readEpoch != epoch || count == 0) {
      return;
    }
    Position end = null;
    for (int i = 0; i < count && !readEnds.isEmpty(); i++) {
      end = readEnds.poll();
      records = Math.max(0, records - 1);
    }
    if (end == null) {
      return;
    }
    try {
      cursor = end;
      deleteSegmentsBefore(cursor.segment());
      if (readEnds.isEmpty() && cursor.segment() == writeSegment && cursor.offset() >= segments.get(writeSegment)
        && readPosition.equals(cursor)) {
        // everything delivered: start over with an empty segment instead of growing this one forever
        deleteSegment(writeSegment);
        startSegment(writeSegment + 1);
        cursor = new Position(writeSegment, SegmentRecords.SEGMENT_HEADER.length);
        readPosition = cursor;
        records = 0;
      }
      cursorFile.write(cursor);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the cursor in " + folder, e);
    }
  }

  /** Records written and not yet acknowledged (an estimate once corruption was found). */
  long records() {
    return records;
  }

  /** True when records past those read wait on disk. */
  boolean hasUnread() {
    Long size = segments.get(readPosition.segment());
    return size != null && readPosition.offset() < size || segments.higherKey(readPosition.segment()) != null;
  }

  long droppedRecords() {
    return droppedRecords;
  }

  long totalBytes() {
    return segments.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Forces what was appended to disk. The cursor file is replaced atomically but not forced: after a
   * power loss it may lag, which sends some records twice, never loses one.
   */
  void sync() {
    try {
      if (dirty) {
        writer.force(false);
        dirty = false;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync " + folder, e);
    }
  }

  @Override
  public void close() {
    try {
      writer.close();
      closeReader();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void recover() throws IOException {
    Files.createDirectories(folder);
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SEGMENT_SUFFIX)).toList()) {
        String name = file.getFileName().toString();
        segments.put(Long.parseLong(name.substring(0, name.length() - SEGMENT_SUFFIX.length())), Files.size(file));
      }
    }
    if (segments.isEmpty()) {
      startSegment(1);
      cursor = new Position(1, SegmentRecords.SEGMENT_HEADER.length);
    } else {
      SegmentRecords.upgradeVersionOne(folder, segments, cursorFile);
      writeSegment = segments.lastKey();
      truncateTornTail();
      writer = FileChannel.open(segmentFile(writeSegment), StandardOpenOption.WRITE);
      cursor = cursorFile.read(segments, writeSegment);
      deleteSegmentsBefore(cursor.segment());
    }
    readPosition = cursor;
    records = countFrom(cursor);
    if (records > 0) {
      log.info("spool " + folder + " holds " + records + " frames from before; they are sent first");
    }
  }

  /**
   * A crash or a power loss in the middle of an append leaves bad bytes at the end of the last
   * segment (a partial record, or zeros where the file system had reserved blocks): cut them off. Bad
   * bytes followed by a good record are corruption, not a tail; reading handles them.
   */
  private void truncateTornTail() throws IOException {
    long size = segments.get(writeSegment);
    try (FileChannel channel = FileChannel.open(segmentFile(writeSegment), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long end = SegmentRecords.endOfGoodRecords(channel, size);
      if (end < size) {
        log.warning(segmentFile(writeSegment) + " ends in a torn record (" + (size - end) + " bytes, no good record after them);"
          + " cut off");
        channel.truncate(end);
        channel.force(true);
        segments.put(writeSegment, end);
      }
    }
  }

  private long countFrom(Position start) throws IOException {
    long count = 0;
    for (Map.Entry<Long, Long> segment : segments.tailMap(start.segment(), true).entrySet()) {
      long offset = segment.getKey() == start.segment() ? start.offset() : SegmentRecords.SEGMENT_HEADER.length;
      try (FileChannel channel = FileChannel.open(segmentFile(segment.getKey()), StandardOpenOption.READ)) {
        count += SegmentRecords.countHeaders(channel, offset, segment.getValue());
      }
    }
    return count;
  }

  /** Makes room for a record by dropping whole old segments, if the policy allows. */
  private boolean makeRoom(long recordBytes) {
    if (whenFull == SpoolConfig.WhenFull.DROP_NEWEST) {
      return false;
    }
    try {
      while (totalBytes() + recordBytes > maxBytes && segments.size() > 1) {
        long oldest = segments.firstKey();
        long dropped;
        try (FileChannel channel = FileChannel.open(segmentFile(oldest), StandardOpenOption.READ)) {
          long from = oldest == cursor.segment() ? cursor.offset() : SegmentRecords.SEGMENT_HEADER.length;
          dropped = SegmentRecords.countHeaders(channel, from, segments.get(oldest));
        }
        deleteSegment(oldest);
        droppedRecords += dropped;
        records = Math.max(0, records - dropped);
        if (cursor.segment() <= oldest) {
          cursor = new Position(segments.firstKey(), SegmentRecords.SEGMENT_HEADER.length);
        }
        // records handed out may be gone: start reading at the cursor again
        readPosition = cursor;
        readEnds.clear();
        epoch++;
        cursorFile.write(cursor);
        log.warning("spool " + folder + " is full (" + maxBytes + " bytes): dropped its oldest " + dropped + " frames, "
          + droppedRecords + " dropped so far");
      }
      if (totalBytes() + recordBytes > maxBytes) {
        // only the current segment is left: start a fresh one so it can be dropped next time
        startSegment(writeSegment + 1);
        return totalBytes() + recordBytes <= maxBytes || makeRoom(recordBytes);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void reportCorruption(FileChannel channel, Position from, long to, String problem) throws IOException {
    byte[] bytes = SegmentRecords.bytesAt(channel, from.offset(), to);
    String reason = "corrupt record in " + segmentFile(from.segment()).getFileName() + " at offset " + from.offset() + " ("
      + problem + "; " + (to - from.offset()) + " bytes skipped)";
    log.warning("spool " + folder + ": " + reason + "; moved to the dead letters, the frames after it are kept");
    records = Math.max(0, records - 1);
    corrupt.accept(new Corruption(from.segment(), from.offset(), bytes, reason));
  }

  private void writeFully(ByteBuffer record, long at) throws IOException {
    while (record.hasRemaining()) {
      at += writer.write(record, at);
    }
  }

  /** A failed append leaves at most a partial record: cut the segment back to where it was. */
  private void rollBack() {
    try {
      writer.truncate(segments.get(writeSegment));
    } catch (IOException e) {
      // the partial record stays; readers skip it as corruption and the next append starts a new segment
      log.warning("cannot roll back a failed append in " + segmentFile(writeSegment) + ": " + e.getMessage());
      try {
        startSegment(writeSegment + 1);
      } catch (IOException again) {
        log.warning("cannot start a new segment in " + folder + ": " + again.getMessage());
      }
    }
  }

  private void startSegment(long number) throws IOException {
    if (writer != null) {
      writer.force(false);
      writer.close();
    }
    writeSegment = number;
    Path file = segmentFile(number);
    writer = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    if (writer.size() < SegmentRecords.SEGMENT_HEADER.length) {
      writer.truncate(0);
      writer.write(ByteBuffer.wrap(SegmentRecords.SEGMENT_HEADER), 0);
    }
    segments.put(number, writer.size());
  }

  private void deleteSegmentsBefore(long segment) throws IOException {
    for (Long old : new ArrayList<>(segments.headMap(segment, false).keySet())) {
      deleteSegment(old);
    }
  }

  private void deleteSegment(long number) throws IOException {
    if (readerSegment == number) {
      closeReader();
    }
    Files.deleteIfExists(segmentFile(number));
    segments.remove(number);
  }

  private FileChannel readerFor(long segment) throws IOException {
    if (readerSegment != segment) {
      closeReader();
      reader = FileChannel.open(segmentFile(segment), StandardOpenOption.READ);
      readerSegment = segment;
    }
    return reader;
  }

  private void closeReader() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
      readerSegment = -1;
    }
  }

  Path segmentFile(long number) {
    return SegmentRecords.segmentFile(folder, number);
  }
}
