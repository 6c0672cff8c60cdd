package io.nbnet.store;

/**
 * Why a store did not take or give data: the data itself can never be stored ({@link Kind#INVALID}:
 * sending it again would fail again), it would pass one of the {@link LimitsConfig limits}
 * ({@link Kind#LIMIT}: refused, not retried), or the database cannot take it now
 * ({@link Kind#UNAVAILABLE}: try again later).
 */
public final class StoreException extends RuntimeException {

  public enum Kind { INVALID, LIMIT, UNAVAILABLE }

  private final Kind kind;

  public StoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public static StoreException invalid(String message, Throwable cause) {
    return new StoreException(Kind.INVALID, message, cause);
  }

  public static StoreException limit(String message) {
    return new StoreException(Kind.LIMIT, message, null);
  }

  public static StoreException unavailable(String message, Throwable cause) {
    return new StoreException(Kind.UNAVAILABLE, message, cause);
  }

  public Kind kind() {
    return kind;
  }
}
