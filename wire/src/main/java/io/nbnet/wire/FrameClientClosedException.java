package io.nbnet.wire;

/** The connection of a {@link FrameClient} ended before a reply arrived. */
public class FrameClientClosedException extends RuntimeException {

  public FrameClientClosedException(String message) {
    super(message, null, false, false);
  }
}
