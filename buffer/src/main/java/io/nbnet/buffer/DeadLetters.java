package io.nbnet.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

/**
 * Frames that must not be sent again as they are: bytes of the spool that failed their check, and
 * frames the next hop refused for good. They are kept, with the reason, in a log of their own with
 * its own size limit (the oldest go first), so they never block the frames behind them and can be
 * looked at ({@code ./nbnet spool inspect}) and sent again after a fix ({@code ./nbnet spool resend}).
 * Blocking: call from the spool's worker.
 */
final class DeadLetters implements AutoCloseable {

  private static final Logger log = Logger.getLogger(DeadLetters.class.getName());

  /** One dead letter: why, and the bytes. */
  record Letter(String reason, byte[] frame) {
  }

  private final SegmentLog letters;
  private long added;

  private DeadLetters(SegmentLog letters) {
    this.letters = letters;
  }

  static DeadLetters open(Path folder, long maxBytes) throws IOException {
    return new DeadLetters(SegmentLog.open(folder, maxBytes, Math.min(16L << 20, maxBytes / 4), SpoolConfig.WhenFull.DROP_OLDEST,
      corruption -> log.warning(folder + ": a dead letter itself is damaged and is dropped: " + corruption.reason())));
  }

  void add(String reason, byte[] frame) {
    byte[] why = reason.getBytes(StandardCharsets.UTF_8);
    int reasonLength = Math.min(why.length, 65_535);
    ByteBuffer letter = ByteBuffer.allocate(2 + reasonLength + frame.length);
    letter.putShort((short) reasonLength).put(why, 0, reasonLength).put(frame);
    letters.append(letter.array());
    letters.sync();
    added++;
  }

  /** Up to {@code max} letters, oldest first, without removing them. */
  List<Letter> peek(int max) {
    letters.rewind();
    List<Letter> read = letters.read(max).stream().map(DeadLetters::decode).toList();
    letters.rewind();
    return read;
  }

  /** Takes up to {@code max} letters out, oldest first. */
  List<Letter> take(int max) {
    List<byte[]> raw = letters.read(max);
    letters.acknowledge(raw.size(), letters.epoch());
    return raw.stream().map(DeadLetters::decode).toList();
  }

  /** Letters added by this process. */
  long added() {
    return added;
  }

  long held() {
    return letters.records();
  }

  long droppedWhenFull() {
    return letters.droppedRecords();
  }

  long bytes() {
    return letters.totalBytes();
  }

  @Override
  public void close() {
    letters.sync();
    letters.close();
  }

  private static Letter decode(byte[] raw) {
    ByteBuffer bytes = ByteBuffer.wrap(raw);
    int reasonLength = Short.toUnsignedInt(bytes.getShort());
    String reason = new String(raw, 2, reasonLength, StandardCharsets.UTF_8);
    return new Letter(reason, Arrays.copyOfRange(raw, 2 + reasonLength, raw.length));
  }
}
