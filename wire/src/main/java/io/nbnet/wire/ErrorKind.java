package io.nbnet.wire;

/**
 * Why a request was not accepted. The kind tells the sender what to do: {@link #UNAVAILABLE} is
 * worth retrying later, the others will fail the same way again.
 */
public enum ErrorKind {
  /** The framing was broken; the connection is closed. */
  PROTOCOL("protocol", true),
  /** The payload can never be accepted (bad JSON, missing field, unknown format); the connection is closed. */
  INVALID("invalid", true),
  /** A downstream hop (saver, MySQL) cannot take it now; retry later on the same connection. */
  UNAVAILABLE("unavailable", false),
  /** The request was understood but not allowed. */
  REFUSED("refused", false),
  /** A bug on the server side; the connection is closed. */
  INTERNAL("internal", true);

  private final String label;
  private final boolean closesConnection;

  ErrorKind(String label, boolean closesConnection) {
    this.label = label;
    this.closesConnection = closesConnection;
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
