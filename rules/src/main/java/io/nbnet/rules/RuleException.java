package io.nbnet.rules;

/** A rule's evaluation failed (its query, its labels, its limit, or storing its result); the message says why. */
public final class RuleException extends RuntimeException {

  public RuleException(String message) {
    super(message);
  }
}
