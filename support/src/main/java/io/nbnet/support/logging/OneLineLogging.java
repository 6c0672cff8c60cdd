package io.nbnet.support.logging;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * java.util.logging prints two lines per record by default; nbnet's mains ask for one. Messages often
 * carry what a peer sent (a host name, an argv, a bad header): control characters in them are
 * escaped, so no peer can start a forged log line with a newline.
 */
public final class OneLineLogging {

  private static final String FORMAT = "%1$tF %1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n";
  /** Held: java.util.logging keeps loggers weakly, and a collected logger loses its filter. */
  private static final Logger METER_REGISTRY = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");
  /**
   * Vert.x registers its connection gauges again for every new connection, by design: Micrometer then
   * warns that the gauge exists already (vert-x3/vertx-micrometer-metrics#259,
   * micrometer-metrics/micrometer#6931). The warning means nothing to an operator, and it is dropped.
   */
  private static final String VERTX_GAUGE_AGAIN = "This Gauge has been already registered (MeterId{name='vertx.";

  private OneLineLogging() {
  }

  /** Call before the first log record; an explicit -Djava.util.logging.SimpleFormatter.format wins. */
  public static void install() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", FORMAT);
    }
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      handler.setFormatter(new EscapingFormatter());
    }
    METER_REGISTRY.setFilter(record -> record.getMessage() == null || !record.getMessage().startsWith(VERTX_GAUGE_AGAIN));
  }

  /** Backslash escapes for control characters: {@code \n}, {@code \r}, {@code \t}, else {@code \xNN}. */
  public static String escape(String text) {
    StringBuilder escaped = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c != 0x7f) {
        if (escaped != null) {
          escaped.append(c);
        }
        continue;
      }
      if (escaped == null) {
        escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      switch (c) {
        case '\n' -> escaped.append("\\n");
        case '\r' -> escaped.append("\\r");
        case '\t' -> escaped.append("\\t");
        default -> escaped.append(String.format("\\x%02x", (int) c));
      }
    }
    return escaped == null ? text : escaped.toString();
  }

  /** The one-line format with every message escaped; a stack trace, when there is one, keeps its lines. */
  static final class EscapingFormatter extends SimpleFormatter {
    @Override
    public String formatMessage(LogRecord record) {
      return escape(super.formatMessage(record));
    }
  }
}
