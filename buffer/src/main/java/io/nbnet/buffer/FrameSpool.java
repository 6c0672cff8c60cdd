package io.nbnet.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Frames kept on disk, first in, first out, across restarts. Frames are appended to segment files
 * ({@code <number>.seg}: records of length, CRC32 and bytes); a cursor file remembers the first
 * frame not yet acknowledged by the next hop. Reading hands out frames past the cursor; acknowledging
 * moves the cursor and deletes segments left behind. After a crash, a torn last record is cut off
 * and replay starts at the cursor, so a frame may be sent twice but is never lost once written
 * (with {@code fsync: always}, not even on power loss). The size is bounded by
 * {@link SpoolOptions#maxBytes()}: past it the oldest segment is dropped (or the new frame refused),
 * and the dropped frames are counted. Methods block on disk I/O: call them from a worker thread.
 */
public final class FrameSpool implements AutoCloseable {

  private static final Logger log = Logger.getLogger(FrameSpool.class.getName());
  private static final int HEADER = 8;
  private static final String SEGMENT_SUFFIX = ".seg";

  private final SpoolOptions options;
  /** segment number -> size in bytes */
  private final TreeMap<Long, Long> segments = new TreeMap<>();
  private FileChannel writer;
  private long writeSegment;
  private Position cursor;
  private Position readPosition;
  /** Record sizes of the frames read past the cursor, so acknowledging needs no disk reads. */
  private final ArrayDeque<Integer> readSizes = new ArrayDeque<>();
  private FileChannel reader;
  private long readerSegment = -1;
  private long pendingFrames;
  private long unreadFrames;
  private long droppedFrames;
  private long epoch;
  private long lastFsyncNanos = System.nanoTime();
  private boolean dirty;

  /** A place in the spool: a segment and a byte offset in it. */
  private record Position(long segment, long offset) {
  }

  private FrameSpool(SpoolOptions options) {
    this.options = options;
  }

  /** Opens (or creates) the spool in its folder and recovers what an earlier process left. */
  public static synchronized FrameSpool open(SpoolOptions options) throws IOException {
    FrameSpool spool = new FrameSpool(options);
    spool.recover();
    return spool;
  }

  /**
   * Appends a frame.
   *
   * @return false when the spool was full and the frame was refused (DROP_NEWEST)
   */
  public synchronized boolean append(byte[] frame) {
    long recordBytes = HEADER + frame.length;
    if (totalBytes() + recordBytes > options.maxBytes() && !makeRoom(recordBytes)) {
      droppedFrames++;
      return false;
    }
    try {
      if (segments.get(writeSegment) + recordBytes > options.segmentBytes() && segments.get(writeSegment) > 0) {
        startSegment(writeSegment + 1);
      }
      ByteBuffer record = ByteBuffer.allocate((int) recordBytes);
      CRC32 crc = new CRC32();
      crc.update(frame);
      record.putInt(frame.length).putInt((int) crc.getValue()).put(frame).flip();
      while (record.hasRemaining()) {
        writer.write(record);
      }
      segments.merge(writeSegment, recordBytes, Long::sum);
      pendingFrames++;
      unreadFrames++;
      dirty = true;
      fsyncIfDue(writer);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the spool in " + options.folder(), e);
    }
  }

  /** Up to {@code max} frames after those already read, in order; they stay spooled until acknowledged. */
  public synchronized List<byte[]> read(int max) {
    List<byte[]> frames = new ArrayList<>();
    try {
      while (frames.size() < max && unreadFrames > 0) {
        Long size = segments.get(readPosition.segment());
        if (size == null || readPosition.offset() >= size) {
          Long next = segments.higherKey(readPosition.segment());
          if (next == null) {
            break;
          }
          readPosition = new Position(next, 0);
          continue;
        }
        byte[] frame = readRecord(readPosition);
        readPosition = new Position(readPosition.segment(), readPosition.offset() + HEADER + frame.length);
        readSizes.add(HEADER + frame.length);
        unreadFrames--;
        frames.add(frame);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spool in " + options.folder(), e);
    }
    return frames;
  }

  /** Forgets what was read and not acknowledged: it will be read again (after a connection loss). */
  public synchronized void rewind() {
    readPosition = cursor;
    unreadFrames = pendingFrames;
    readSizes.clear();
  }

  /**
   * Changes whenever frames that were read may have been dropped to make room; acknowledgements
   * for frames read in an earlier epoch are ignored.
   */
  public synchronized long epoch() {
    return epoch;
  }

  /** The next hop has the {@code frames} oldest frames, read in {@code readEpoch}: move the cursor past them. */
  public synchronized void acknowledge(int frames, long readEpoch) {
    if (readEpoch != epoch) {
      return;
    }
    try {
      for (int i = 0; i < frames && pendingFrames > 0; i++) {
        Long segmentSize = segments.get(cursor.segment());
        while (segmentSize != null && cursor.offset() >= segmentSize && segments.higherKey(cursor.segment()) != null) {
          cursor = new Position(segments.higherKey(cursor.segment()), 0);
          segmentSize = segments.get(cursor.segment());
        }
        Integer recordBytes = readSizes.poll();
        long size = recordBytes != null ? recordBytes : HEADER + readLength(cursor);
        cursor = new Position(cursor.segment(), cursor.offset() + size);
        pendingFrames--;
      }
      deleteSegmentsBefore(cursor.segment());
      if (pendingFrames == 0 && cursor.segment() == writeSegment && cursor.offset() == segments.get(writeSegment)) {
        // everything delivered: start over with an empty segment instead of growing this one forever
        deleteSegment(writeSegment);
        startSegment(writeSegment + 1);
        cursor = new Position(writeSegment, 0);
        readPosition = cursor;
        readSizes.clear();
      }
      writeCursor();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the spool cursor in " + options.folder(), e);
    }
  }

  /** Frames written and not yet acknowledged. */
  public synchronized long pendingFrames() {
    return pendingFrames;
  }

  /** Frames written and not yet read (handed out) since the last rewind. */
  public synchronized long unreadFrames() {
    return unreadFrames;
  }

  public synchronized long droppedFrames() {
    return droppedFrames;
  }

  public synchronized long totalBytes() {
    return segments.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Forces what was written to disk, whatever the fsync policy. */
  public synchronized void sync() {
    try {
      if (dirty) {
        writer.force(false);
        dirty = false;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      if (options.fsync() != SpoolOptions.Fsync.NEVER) {
        sync();
      }
      writer.close();
      closeReader();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void recover() throws IOException {
    Files.createDirectories(options.folder());
    try (Stream<Path> files = Files.list(options.folder())) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SEGMENT_SUFFIX)).toList()) {
        String name = file.getFileName().toString();
        segments.put(Long.parseLong(name.substring(0, name.length() - SEGMENT_SUFFIX.length())), Files.size(file));
      }
    }
    if (segments.isEmpty()) {
      startSegment(1);
      cursor = new Position(1, 0);
    } else {
      writeSegment = segments.lastKey();
      truncateTornTail();
      writer = FileChannel.open(segmentFile(writeSegment), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      cursor = readCursor();
      deleteSegmentsBefore(cursor.segment());
    }
    readPosition = cursor;
    pendingFrames = countFrom(cursor);
    unreadFrames = pendingFrames;
    if (pendingFrames > 0) {
      log.info("spool " + options.folder() + " holds " + pendingFrames + " frames from before; they are sent first");
    }
  }

  /** A crash in the middle of an append leaves a partial record at the end: cut it off. */
  private void truncateTornTail() throws IOException {
    long size = segments.get(writeSegment);
    long offset = 0;
    try (FileChannel channel = FileChannel.open(segmentFile(writeSegment), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      while (offset + HEADER <= size) {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        channel.read(header, offset);
        header.flip();
        int length = header.getInt();
        int crc = header.getInt();
        if (length < 0 || offset + HEADER + length > size || !crcMatches(channel, offset + HEADER, length, crc)) {
          break;
        }
        offset += HEADER + length;
      }
      if (offset < size) {
        log.warning("spool segment " + segmentFile(writeSegment) + " ends in a torn record (" + (size - offset) + " bytes); cut off");
        channel.truncate(offset);
        segments.put(writeSegment, offset);
      }
    }
  }

  private static boolean crcMatches(FileChannel channel, long offset, int length, int expected) throws IOException {
    ByteBuffer data = ByteBuffer.allocate(length);
    channel.read(data, offset);
    CRC32 crc = new CRC32();
    crc.update(data.array());
    return (int) crc.getValue() == expected;
  }

  private long countFrom(Position start) throws IOException {
    long count = 0;
    ByteBuffer length = ByteBuffer.allocate(4);
    for (var segment : segments.tailMap(start.segment(), true).entrySet()) {
      long offset = segment.getKey() == start.segment() ? start.offset() : 0;
      try (FileChannel channel = FileChannel.open(segmentFile(segment.getKey()), StandardOpenOption.READ)) {
        while (offset < segment.getValue()) {
          length.clear();
          channel.read(length, offset);
          length.flip();
          offset += HEADER + length.getInt();
          count++;
        }
      }
    }
    return count;
  }

  /** Makes room for a record by dropping whole old segments, if the policy allows. */
  private boolean makeRoom(long recordBytes) {
    if (options.whenFull() == SpoolOptions.WhenFull.DROP_NEWEST) {
      return false;
    }
    try {
      while (totalBytes() + recordBytes > options.maxBytes() && segments.size() > 1) {
        long oldest = segments.firstKey();
        long dropped = countFrom(new Position(oldest, oldest == cursor.segment() ? cursor.offset() : 0))
          - countFrom(new Position(segments.higherKey(oldest), 0));
        deleteSegment(oldest);
        droppedFrames += dropped;
        pendingFrames -= dropped;
        if (cursor.segment() <= oldest) {
          cursor = new Position(segments.firstKey(), 0);
        }
        // frames handed out may be gone: start reading at the cursor again
        readPosition = cursor;
        unreadFrames = pendingFrames;
        readSizes.clear();
        epoch++;
        writeCursor();
        log.warning("spool " + options.folder() + " is full (" + options.maxBytes() + " bytes): dropped its oldest "
          + dropped + " frames, " + droppedFrames + " dropped so far");
      }
      if (totalBytes() + recordBytes > options.maxBytes()) {
        // only the current segment is left: start a fresh one so it can be dropped next time
        startSegment(writeSegment + 1);
        return totalBytes() + recordBytes <= options.maxBytes() || makeRoom(recordBytes);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void startSegment(long number) throws IOException {
    if (writer != null) {
      writer.force(false);
      writer.close();
    }
    writeSegment = number;
    writer = FileChannel.open(segmentFile(number), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    segments.putIfAbsent(number, 0L);
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

  private byte[] readRecord(Position position) throws IOException {
    FileChannel channel = readerFor(position.segment());
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    channel.read(header, position.offset());
    header.flip();
    byte[] frame = new byte[header.getInt()];
    ByteBuffer body = ByteBuffer.wrap(frame);
    while (body.hasRemaining() && channel.read(body, position.offset() + HEADER + body.position()) > 0) {
      // read until full
    }
    return frame;
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

  private int readLength(Position position) throws IOException {
    try (FileChannel channel = FileChannel.open(segmentFile(position.segment()), StandardOpenOption.READ)) {
      ByteBuffer header = ByteBuffer.allocate(4);
      channel.read(header, position.offset());
      header.flip();
      return header.getInt();
    }
  }

  private Position readCursor() throws IOException {
    Path file = options.folder().resolve("cursor");
    if (!Files.exists(file)) {
      return new Position(segments.firstKey(), 0);
    }
    String[] parts = Files.readString(file).trim().split(" ");
    Position saved = new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    if (!segments.containsKey(saved.segment())) {
      Long next = segments.ceilingKey(saved.segment());
      return new Position(next != null ? next : writeSegment, 0);
    }
    return saved;
  }

  private void writeCursor() throws IOException {
    Path file = options.folder().resolve("cursor");
    Path temporary = options.folder().resolve("cursor.tmp");
    Files.writeString(temporary, cursor.segment() + " " + cursor.offset() + "\n", StandardCharsets.US_ASCII);
    if (options.fsync() == SpoolOptions.Fsync.ALWAYS) {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
    }
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private void fsyncIfDue(FileChannel channel) throws IOException {
    switch (options.fsync()) {
      case ALWAYS -> {
        channel.force(false);
        dirty = false;
      }
      case INTERVAL -> {
        if (System.nanoTime() - lastFsyncNanos >= options.fsyncIntervalMillis() * 1_000_000L) {
          channel.force(false);
          dirty = false;
          lastFsyncNanos = System.nanoTime();
        }
      }
      case NEVER -> { }
    }
  }

  private Path segmentFile(long number) {
    return options.folder().resolve(String.format("%020d", number) + SEGMENT_SUFFIX);
  }
}
