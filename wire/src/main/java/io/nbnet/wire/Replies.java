package io.nbnet.wire;

import io.vertx.core.buffer.Buffer;

/**
 * Reply payloads. Success starts with {@code OK} (legacy agents check only that prefix); an error is
 * {@code ERR <kind>: <message>}.
 */
public final class Replies {

  private static final Buffer OK = Buffer.buffer("OK");
  private static final String ERROR_PREFIX = "ERR ";

  private Replies() {
  }

  public static Buffer ok() {
    return OK;
  }

  public static Buffer ok(String detail) {
    return Buffer.buffer("OK " + detail);
  }

  public static Buffer error(ErrorKind kind, String message) {
    return Buffer.buffer(ERROR_PREFIX + kind.label() + ": " + message);
  }

  public static Buffer error(FrameException failure) {
    return error(failure.kind(), failure.getMessage());
  }

  public static boolean isOk(Buffer reply) {
    return reply.length() >= 2 && reply.getByte(0) == 'O' && reply.getByte(1) == 'K';
  }

  /** The failure an error reply describes; anything not in the {@code ERR kind: message} shape is {@link ErrorKind#INTERNAL}. */
  public static FrameException toException(Buffer reply) {
    String text = reply.toString();
    if (text.startsWith(ERROR_PREFIX)) {
      int colon = text.indexOf(": ", ERROR_PREFIX.length());
      if (colon > 0) {
        ErrorKind kind = ErrorKind.ofLabel(text.substring(ERROR_PREFIX.length(), colon));
        return new FrameException(kind, text.substring(colon + 2));
      }
    }
    return new FrameException(ErrorKind.INTERNAL, "unexpected reply: " + abbreviate(text));
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
