package io.nbnet.formats;

/** A payload that is well framed but can never be stored. */
public class InvalidPayloadException extends RuntimeException {

  public InvalidPayloadException(String message) {
    super(message, null, false, false);
  }
}
