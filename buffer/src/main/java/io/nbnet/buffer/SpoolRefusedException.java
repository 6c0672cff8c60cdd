package io.nbnet.buffer;

/** The spool did not take a frame: it is full (drop-newest) or the disk failed. The frame is not held. */
public final class SpoolRefusedException extends RuntimeException {

  public SpoolRefusedException(String message) {
    super(message, null, false, false);
  }
}
