package io.nbnet.promql;

/**
 * A query that cannot be answered, with the kind the Prometheus API reports: {@code bad_data} (it does
 * not parse or type-check, 400), {@code execution} (it failed while evaluated, 422), {@code timeout}
 * (503).
 */
public final class PromqlException extends RuntimeException {

  public enum Kind {
    BAD_DATA("bad_data"), EXECUTION("execution"), TIMEOUT("timeout");

    private final String type;

    Kind(String type) {
      this.type = type;
    }

    /** The API's {@code errorType}. */
    public String errorType() {
      return type;
    }
  }

  private final Kind kind;

  public PromqlException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
