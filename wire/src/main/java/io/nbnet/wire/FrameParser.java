package io.nbnet.wire;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

import java.util.function.LongPredicate;

/**
 * Cuts a byte stream into frame payloads: a fixed 10-byte header, then a fixed-size payload. A header
 * that is not ten digits, a length of 0 or a length over the maximum is reported once to the error
 * handler, after which all further input is ignored. An optional admission check sees every frame's
 * length before its payload is read: when it says no, parsing pauses (what already arrived stays
 * buffered) until {@link #resume()}.
 * <p>
 * Each payload is copied once, into a buffer of its own size; headers are read in place; nothing of a
 * chunk is kept once {@link #handle} returns, so its caller may release it. (Vert.x's
 * {@code RecordParser} copied every chunk into its own buffer, then every header and payload out of it
 * again: three allocations per small request, a fifth of the server's time with a thousand peers.)
 */
public final class FrameParser implements Handler<Buffer> {

  private final int maxFrameBytes;
  private final Handler<Buffer> payloadHandler;
  private final Handler<ProtocolException> errorHandler;
  private LongPredicate admission = length -> true;
  /** A header split across chunks, gathered here. */
  private final byte[] partialHeader = new byte[Frames.HEADER_LENGTH];
  private int partialHeaderLength;
  /** The payload length stated by the current frame's header; -1 while a header is expected. */
  private int payloadLength = -1;
  /** A payload split across chunks, gathered here (sized to the payload). */
  private Buffer partialPayload;
  /** Input that arrived while paused, parsed on {@link #resume()}. */
  private Buffer held;
  private boolean paused;
  private boolean parsing;
  private boolean failed;
  private long bytesFed;
  private long bytesConsumed;

  public FrameParser(int maxFrameBytes, Handler<Buffer> payloadHandler, Handler<ProtocolException> errorHandler) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 1");
    }
    this.maxFrameBytes = maxFrameBytes;
    this.payloadHandler = payloadHandler;
    this.errorHandler = errorHandler;
  }

  /** Asked with each frame's stated length before its payload is read; false pauses parsing. */
  public FrameParser admission(LongPredicate check) {
    this.admission = check;
    return this;
  }

  /** Goes on after an admission said no and the frame may now be read. */
  public void resume() {
    paused = false;
    if (held != null && !parsing) {
      Buffer input = held;
      held = null;
      parse(input);
    }
  }

  @Override
  public void handle(Buffer chunk) {
    if (failed || chunk.length() == 0) {
      return;
    }
    bytesFed += chunk.length();
    if (paused || held != null) {
      hold(chunk, 0);
      return;
    }
    parse(chunk);
  }

  /** True when bytes of an unfinished header or payload are buffered. */
  public boolean isMidFrame() {
    return !failed && bytesFed > bytesConsumed;
  }

  public boolean hasFailed() {
    return failed;
  }

  private void parse(Buffer chunk) {
    parsing = true;
    try {
      int position = 0;
      int length = chunk.length();
      while (position < length && !failed) {
        if (paused) {
          hold(chunk, position);
          break;
        }
        position = payloadLength < 0 ? readHeader(chunk, position) : readPayload(chunk, position);
      }
    } finally {
      parsing = false;
    }
    // an admission may have been granted, and resume() called, while this chunk was being parsed
    if (!paused && held != null && !failed) {
      resume();
    }
  }

  private void hold(Buffer chunk, int from) {
    int length = chunk.length() - from;
    if (held == null) {
      held = Buffer.buffer(length);
    }
    held.appendBuffer(chunk, from, length);
  }

  private int readHeader(Buffer chunk, int position) {
    int available = chunk.length() - position;
    if (partialHeaderLength == 0 && available >= Frames.HEADER_LENGTH) {
      onHeader(chunk, position);
      return position + Frames.HEADER_LENGTH;
    }
    int taken = Math.min(available, Frames.HEADER_LENGTH - partialHeaderLength);
    chunk.getBytes(position, position + taken, partialHeader, partialHeaderLength);
    partialHeaderLength += taken;
    if (partialHeaderLength == Frames.HEADER_LENGTH) {
      partialHeaderLength = 0;
      onHeader(Buffer.buffer(partialHeader), 0);
    }
    return position + taken;
  }

  private int readPayload(Buffer chunk, int position) {
    int available = chunk.length() - position;
    if (partialPayload == null && available >= payloadLength) {
      int end = position + payloadLength;
      onPayload(Buffer.buffer(payloadLength).appendBuffer(chunk, position, payloadLength));
      return end;
    }
    if (partialPayload == null) {
      partialPayload = Buffer.buffer(payloadLength);
    }
    int taken = Math.min(available, payloadLength - partialPayload.length());
    partialPayload.appendBuffer(chunk, position, taken);
    if (partialPayload.length() == payloadLength) {
      Buffer payload = partialPayload;
      partialPayload = null;
      onPayload(payload);
    }
    return position + taken;
  }

  private void onPayload(Buffer payload) {
    bytesConsumed += Frames.HEADER_LENGTH + payloadLength;
    payloadLength = -1;
    payloadHandler.handle(payload);
  }

  private void onHeader(Buffer header, int offset) {
    long length = Frames.parseHeader(header, offset);
    if (length < 0) {
      fail(new ProtocolException(ProtocolError.BAD_HEADER,
        "frame header is not 10 ASCII digits: " + printable(header.getBuffer(offset, offset + Frames.HEADER_LENGTH))));
    } else if (length == 0) {
      fail(new ProtocolException(ProtocolError.EMPTY_FRAME, "frame length is 0"));
    } else if (length > maxFrameBytes) {
      fail(new ProtocolException(ProtocolError.FRAME_TOO_LARGE,
        "frame length " + length + " exceeds the maximum of " + maxFrameBytes + " bytes"));
    } else {
      payloadLength = (int) length;
      if (!admission.test(length)) {
        paused = true;
      }
    }
  }

  private void fail(ProtocolException error) {
    failed = true;
    held = null;
    partialPayload = null;
    errorHandler.handle(error);
  }

  private static String printable(Buffer header) {
    StringBuilder text = new StringBuilder("\"");
    for (int i = 0; i < header.length(); i++) {
      int b = header.getByte(i) & 0xff;
      if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
        text.append((char) b);
      } else {
        text.append(String.format("\\x%02x", b));
      }
    }
    return text.append('"').toString();
  }
}
