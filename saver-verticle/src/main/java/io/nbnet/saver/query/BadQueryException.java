package io.nbnet.saver.query;

/** A request the API cannot answer as asked: a 400 with this message. */
public final class BadQueryException extends RuntimeException {

  public BadQueryException(String message) {
    super(message, null, false, false);
  }
}
