package io.nbnet.remotewrite;

/** A remote write body that can never be read: answered 400, so that the sender drops it instead of retrying. */
public final class RemoteWriteException extends RuntimeException {

  public RemoteWriteException(String message) {
    super(message, null, false, false);
  }
}
