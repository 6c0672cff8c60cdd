package io.nbnet.wire;

/** What can be wrong with the framing itself; each closes the connection. */
public enum ProtocolError {
  BAD_HEADER("bad_header"),
  EMPTY_FRAME("empty_frame"),
  FRAME_TOO_LARGE("frame_too_large"),
  INCOMPLETE_FRAME("incomplete_frame"),
  SLOW_FRAME("slow_frame");

  private final String label;

  ProtocolError(String label) {
    this.label = label;
  }

  /** The short name used in logs and metric tags. */
  public String label() {
    return label;
  }
}
