package io.nbnet.wire;

/** A framing error: the byte stream can no longer be trusted, so the connection ends. */
public class ProtocolException extends RuntimeException {

  private final ProtocolError error;

  public ProtocolException(ProtocolError error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  public ProtocolError error() {
    return error;
  }
}
