package io.nbnet.wire;

import io.vertx.core.buffer.Buffer;

/**
 * The legacy framing: 10 ASCII decimal digits of payload length (zero-padded), then the payload.
 * Requests and replies use the same framing.
 */
public final class Frames {

  public static final int HEADER_LENGTH = 10;

  private Frames() {
  }

  /** A new buffer holding the header and the payload. */
  public static Buffer encode(Buffer payload) {
    Buffer frame = Buffer.buffer(HEADER_LENGTH + payload.length());
    appendHeader(frame, payload.length());
    return frame.appendBuffer(payload);
  }

  public static Buffer encode(String payload) {
    return encode(Buffer.buffer(payload));
  }

  /** Appends the ten-digit header for a payload of {@code length} bytes. */
  public static void appendHeader(Buffer target, int length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative frame length " + length);
    }
    int divisor = 1_000_000_000;
    int rest = length;
    for (int i = 0; i < HEADER_LENGTH; i++) {
      target.appendByte((byte) ('0' + rest / divisor));
      rest %= divisor;
      divisor = Math.max(1, divisor / 10);
    }
  }

  /**
   * Reads the ten-byte header at {@code offset}.
   *
   * @return the stated length, or -1 when a byte is not an ASCII digit
   */
  public static long parseHeader(Buffer buffer, int offset) {
    long length = 0;
    for (int i = offset; i < offset + HEADER_LENGTH; i++) {
      byte b = buffer.getByte(i);
      if (b < '0' || b > '9') {
        return -1;
      }
      length = length * 10 + (b - '0');
    }
    return length;
  }
}
