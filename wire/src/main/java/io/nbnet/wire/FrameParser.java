package io.nbnet.wire;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;

import java.util.function.LongPredicate;

/**
 * Cuts a byte stream into frame payloads with a {@link RecordParser}: a fixed 10-byte header, then a
 * fixed-size payload. A header that is not ten digits, a length of 0 or a length over the maximum is
 * reported once to the error handler, after which all further input is ignored. An optional
 * admission check sees every frame's length before its payload is read: when it says no, parsing
 * pauses (what already arrived stays buffered) until {@link #resume()}.
 */
public final class FrameParser implements Handler<Buffer> {

  private final int maxFrameBytes;
  private final RecordParser parser = RecordParser.newFixed(Frames.HEADER_LENGTH);
  private final Handler<Buffer> payloadHandler;
  private final Handler<ProtocolException> errorHandler;
  private LongPredicate admission = length -> true;
  private boolean expectingHeader = true;
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
    parser.handler(this::onRecord);
  }

  /** Asked with each frame's stated length before its payload is read; false pauses parsing. */
  public FrameParser admission(LongPredicate check) {
    this.admission = check;
    return this;
  }

  /** Goes on after an admission said no and the frame may now be read. */
  public void resume() {
    parser.resume();
  }

  @Override
  public void handle(Buffer chunk) {
    if (failed) {
      return;
    }
    bytesFed += chunk.length();
    parser.handle(chunk);
  }

  /** True when bytes of an unfinished header or payload are buffered. */
  public boolean isMidFrame() {
    return !failed && bytesFed > bytesConsumed;
  }

  public boolean hasFailed() {
    return failed;
  }

  private void onRecord(Buffer record) {
    if (failed) {
      return;
    }
    if (expectingHeader) {
      onHeader(record);
    } else {
      bytesConsumed += Frames.HEADER_LENGTH + record.length();
      expectingHeader = true;
      parser.fixedSizeMode(Frames.HEADER_LENGTH);
      payloadHandler.handle(record);
    }
  }

  private void onHeader(Buffer header) {
    long length = Frames.parseHeader(header);
    if (length < 0) {
      fail(new ProtocolException(ProtocolError.BAD_HEADER,
        "frame header is not 10 ASCII digits: " + printable(header)));
    } else if (length == 0) {
      fail(new ProtocolException(ProtocolError.EMPTY_FRAME, "frame length is 0"));
    } else if (length > maxFrameBytes) {
      fail(new ProtocolException(ProtocolError.FRAME_TOO_LARGE,
        "frame length " + length + " exceeds the maximum of " + maxFrameBytes + " bytes"));
    } else {
      expectingHeader = false;
      parser.fixedSizeMode((int) length);
      if (!admission.test(length)) {
        parser.pause();
      }
    }
  }

  private void fail(ProtocolException error) {
    failed = true;
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
