package io.nbnet.wire;

import java.util.Optional;

/**
 * Why a request was not accepted. The kind tells the sender what to do: {@link #UNAVAILABLE} is
 * worth retrying later, the others will fail the same way again. Each kind has a fixed wire code
 * (the event bus's failure code in a cluster): processes of two versions must still understand each
 * other, so a code is never reused or renumbered, and a new kind takes the next free one.
 */
public enum ErrorKind {
  /** The framing was broken; the connection is closed. */
  PROTOCOL("protocol", 1000, true),
  /** The payload can never be accepted (bad JSON, missing field, unknown format); the connection is closed. */
  INVALID("invalid", 1001, true),
  /** A downstream hop (saver, MySQL) cannot take it now; retry later on the same connection. */
  UNAVAILABLE("unavailable", 1002, false),
  /** The request was understood but not allowed. */
  REFUSED("refused", 1003, false),
  /** A bug on the server side; the connection is closed. */
  INTERNAL("internal", 1004, true);

  private final String label;
  private final int code;
  private final boolean closesConnection;

  ErrorKind(String label, int code, boolean closesConnection) {
    this.label = label;
    this.code = code;
    this.closesConnection = closesConnection;
  }

  /** The kind's wire code, fixed forever. */
  public int code() {
    return code;
  }

  /** The kind with this wire code, if any. */
  public static Optional<ErrorKind> ofCode(int code) {
    for (ErrorKind kind : values()) {
      if (kind.code == code) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  public String label() {
    return label;
  }

  public boolean closesConnection() {
    return closesConnection;
  }

  /** The kind named by an error reply's label, {@link #INTERNAL} for anything unknown. */
  public static ErrorKind ofLabel(String label) {
    for (ErrorKind kind : values()) {
      if (kind.label.equals(label)) {
        return kind;
      }
    }
    return INTERNAL;
  }
}
