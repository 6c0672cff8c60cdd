package io.nbnet.support.logging;

/** java.util.logging prints two lines per record by default; nbnet's mains ask for one. */
public final class OneLineLogging {

  private static final String FORMAT = "%1$tF %1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n";

  private OneLineLogging() {
  }

  /** Call before the first log record; an explicit -Djava.util.logging.SimpleFormatter.format wins. */
  public static void install() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", FORMAT);
    }
  }
}
