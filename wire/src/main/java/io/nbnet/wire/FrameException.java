package io.nbnet.wire;

/**
 * A request the server answers with an error reply. Handlers fail their future with this; the
 * frame server turns it into {@code ERR <kind>: <message>} and closes the connection when the kind says so.
 */
public class FrameException extends RuntimeException {

  private final ErrorKind kind;

  public FrameException(ErrorKind kind, String message) {
    this(kind, message, null);
  }

  public FrameException(ErrorKind kind, String message, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }

  public static FrameException invalid(String message) {
    return new FrameException(ErrorKind.INVALID, message);
  }

  public static FrameException unavailable(String message, Throwable cause) {
    return new FrameException(ErrorKind.UNAVAILABLE, message, cause);
  }
}
