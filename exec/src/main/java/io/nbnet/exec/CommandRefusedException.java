package io.nbnet.exec;

/** The exec service is at its limit of running and waiting commands. */
public class CommandRefusedException extends RuntimeException {

  public CommandRefusedException(String message) {
    super(message, null, false, false);
  }
}
