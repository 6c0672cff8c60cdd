package io.nbnet.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The bytes of a segment file: an 8-byte file header ({@code NBSPOOL2}), then records of
 * <pre>
 * magic (4 bytes, "NBR1") | length (4 bytes, big-endian) | CRC-32C of length and payload (4 bytes) | payload
 * </pre>
 * The magic lets a reader find the next record after corruption; the CRC covers the length too, so a
 * damaged length is caught like a damaged payload.
 */
final class SegmentRecords {

  private static final Logger log = Logger.getLogger(SegmentRecords.class.getName());

  static final byte[] SEGMENT_HEADER = "NBSPOOL2".getBytes(StandardCharsets.US_ASCII);
  static final int MAGIC = 0x4E425231;
  static final int HEADER = 12;
  /** No record is larger; a larger length is damage. */
  static final int MAX_RECORD_BYTES = 256 * 1024 * 1024;
  /** Bad bytes kept as one dead letter at most; the rest of a long bad stretch is only counted. */
  static final int MAX_CORRUPT_BYTES_KEPT = 1024 * 1024;
  private static final int SCAN_CHUNK = 64 * 1024;

  /** What is at a position: a payload, or why there is none. */
  record Read(byte[] payload, String problem) {
  }

  private SegmentRecords() {
  }

  static Path segmentFile(Path folder, long number) {
    return folder.resolve(String.format("%020d", number) + SegmentLog.SEGMENT_SUFFIX);
  }

  static ByteBuffer encode(byte[] payload) {
    ByteBuffer record = ByteBuffer.allocate(HEADER + payload.length);
    record.putInt(MAGIC).putInt(payload.length).putInt(checksum(payload.length, payload)).put(payload).flip();
    return record;
  }

  /** The record at {@code offset}, checked: magic, length within the segment, CRC. */
  static Read readAt(FileChannel channel, long offset, long segmentSize) throws IOException {
    if (offset + HEADER > segmentSize) {
      return new Read(null, "partial record header");
    }
    ByteBuffer header = readBytes(channel, offset, HEADER);
    if (header.getInt() != MAGIC) {
      return new Read(null, "bad magic");
    }
    int length = header.getInt();
    int crc = header.getInt();
    if (length < 0 || length > MAX_RECORD_BYTES || offset + HEADER + length > segmentSize) {
      return new Read(null, "bad length " + length);
    }
    byte[] payload = readBytes(channel, offset + HEADER, length).array();
    if (checksum(length, payload) != crc) {
      return new Read(null, "bad checksum");
    }
    return new Read(payload, null);
  }

  /** The offset of the first good record at or after {@code from}; {@code segmentSize} when there is none. */
  static long nextGoodRecord(FileChannel channel, long from, long segmentSize) throws IOException {
    long position = from;
    while (position + HEADER <= segmentSize) {
      int chunkLength = (int) Math.min(SCAN_CHUNK + 3L, segmentSize - position);
      ByteBuffer chunk = readBytes(channel, position, chunkLength);
      for (int i = 0; i + 4 <= chunkLength; i++) {
        if (chunk.getInt(i) == MAGIC && readAt(channel, position + i, segmentSize).payload() != null) {
          return position + i;
        }
      }
      position += Math.max(1, chunkLength - 3);
    }
    return segmentSize;
  }

  /** Where the good records of a segment end: bad bytes after that, with no good record among them, are a torn tail. */
  static long endOfGoodRecords(FileChannel channel, long segmentSize) throws IOException {
    long position = SEGMENT_HEADER.length;
    long end = position;
    while (position < segmentSize) {
      Read record = readAt(channel, position, segmentSize);
      if (record.payload() != null) {
        position += HEADER + record.payload().length;
        end = position;
      } else {
        position = nextGoodRecord(channel, position + 1, segmentSize);
      }
    }
    return Math.min(end, segmentSize);
  }

  /** Records from {@code from} on, counted by their headers (a damaged stretch counts as one). */
  static long countHeaders(FileChannel channel, long from, long segmentSize) throws IOException {
    long count = 0;
    long position = from;
    while (position + HEADER <= segmentSize) {
      ByteBuffer header = readBytes(channel, position, HEADER);
      int length = header.getInt(4);
      count++;
      if (header.getInt(0) == MAGIC && length >= 0 && position + HEADER + length <= segmentSize) {
        position += HEADER + length;
      } else {
        position = nextGoodRecord(channel, position + 1, segmentSize);
      }
    }
    return count;
  }

  static byte[] bytesAt(FileChannel channel, long from, long to) throws IOException {
    return readBytes(channel, from, (int) Math.min(to - from, MAX_CORRUPT_BYTES_KEPT)).array();
  }

  /**
   * Rewrites segments written by nbnet before records had a magic and a CRC-32C ({@code length | CRC32 |
   * payload}, no file header) into the current format, keeping only the records at and after the
   * cursor, so an upgrade loses nothing that was spooled.
   */
  static void upgradeVersionOne(Path folder, TreeMap<Long, Long> segments, SpoolCursor cursorFile) throws IOException {
    SegmentLog.Position cursor = null;
    for (Map.Entry<Long, Long> segment : new TreeMap<>(segments).entrySet()) {
      Path file = segmentFile(folder, segment.getKey());
      if (isCurrentFormat(file)) {
        continue;
      }
      if (cursor == null) {
        cursor = versionOneCursor(folder, segments);
      }
      long from = segment.getKey() == cursor.segment() ? cursor.offset() : 0;
      if (segment.getKey() < cursor.segment()) {
        Files.delete(file);
        segments.remove(segment.getKey());
        continue;
      }
      List<byte[]> kept = readVersionOne(file, from);
      Path upgraded = folder.resolve(file.getFileName() + ".upgrade");
      try (FileChannel out = FileChannel.open(upgraded, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
        out.write(ByteBuffer.wrap(SEGMENT_HEADER));
        for (byte[] payload : kept) {
          ByteBuffer record = encode(payload);
          while (record.hasRemaining()) {
            out.write(record);
          }
        }
        out.force(true);
      }
      Files.move(upgraded, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      segments.put(segment.getKey(), Files.size(file));
      log.info(file + ": upgraded " + kept.size() + " spooled records to the current format");
    }
    if (cursor != null && !segments.isEmpty()) {
      long first = segments.ceilingKey(cursor.segment()) != null ? segments.ceilingKey(cursor.segment()) : segments.lastKey();
      cursorFile.write(new SegmentLog.Position(first, SEGMENT_HEADER.length));
    }
  }

  private static boolean isCurrentFormat(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return channel.size() >= SEGMENT_HEADER.length && readBytes(channel, 0, SEGMENT_HEADER.length).equals(ByteBuffer.wrap(SEGMENT_HEADER));
    }
  }

  /** The old cursor file has the same text; its offsets are those of the old records. */
  private static SegmentLog.Position versionOneCursor(Path folder, TreeMap<Long, Long> segments) {
    try {
      String[] parts = Files.readString(folder.resolve("cursor")).trim().split(" ");
      return new SegmentLog.Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    } catch (IOException | RuntimeException e) {
      return new SegmentLog.Position(segments.firstKey(), 0);
    }
  }

  private static List<byte[]> readVersionOne(Path file, long from) throws IOException {
    List<byte[]> payloads = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long position = from;
      while (position + 8 <= size) {
        ByteBuffer header = readBytes(channel, position, 8);
        int length = header.getInt();
        int crc = header.getInt();
        if (length < 0 || length > MAX_RECORD_BYTES || position + 8 + length > size) {
          break;
        }
        byte[] payload = readBytes(channel, position + 8, length).array();
        CRC32 check = new CRC32();
        check.update(payload);
        if ((int) check.getValue() == crc) {
          payloads.add(payload);
        }
        position += 8 + length;
      }
    }
    return payloads;
  }

  private static int checksum(int length, byte[] payload) {
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(4).putInt(0, length));
    crc.update(payload);
    return (int) crc.getValue();
  }

  private static ByteBuffer readBytes(FileChannel channel, long offset, int length) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(length);
    while (bytes.hasRemaining()) {
      if (channel.read(bytes, offset + bytes.position()) < 0) {
        break;
      }
    }
    return bytes.flip();
  }
}
