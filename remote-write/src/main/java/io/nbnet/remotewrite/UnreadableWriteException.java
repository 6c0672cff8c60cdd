package io.nbnet.remotewrite;

/**
 * A write body (remote write, OTLP) that can never be read: answered 400, so that the sender drops it
 * instead of retrying. Every write endpoint, on the saver and on the collector, answers it alike.
 */
public final class UnreadableWriteException extends RuntimeException {

  public UnreadableWriteException(String message) {
    super(message, null, false, false);
  }
}
