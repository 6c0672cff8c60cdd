package io.nbnet.wire;

/**
 * A request the server answers with an error reply. Handlers fail their future with this; the
 * frame server turns it into {@code ERR <kind>: <message>} and closes the connection when the kind says so.
 */
public class FrameException extends RuntimeException {

  private final ErrorKind kind;
  private final boolean closesConnection;

  public FrameException(ErrorKind kind, String message) {
    this(kind, message, null);
  }

  public FrameException(ErrorKind kind, String message, Throwable cause) {
    this(kind, message, cause, kind.closesConnection());
  }

  private FrameException(ErrorKind kind, String message, Throwable cause, boolean closesConnection) {
    super(message, cause, false, false);
    this.kind = kind;
    this.closesConnection = closesConnection;
  }

  public ErrorKind kind() {
    return kind;
  }

  /** True when the server closes the connection after the error reply. */
  public boolean closesConnection() {
    return closesConnection;
  }

  /** Refused, and the connection is closed after the reply (e.g. a peer guessing tokens). */
  public static FrameException refusedAndClosed(String message) {
    return new FrameException(ErrorKind.REFUSED, message, null, true);
  }

  public static FrameException invalid(String message) {
    return new FrameException(ErrorKind.INVALID, message);
  }

  public static FrameException unavailable(String message, Throwable cause) {
    return new FrameException(ErrorKind.UNAVAILABLE, message, cause);
  }
}
