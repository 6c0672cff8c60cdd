package io.nbnet.support.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The messages some loggers receive while it is open, for tests that check what was logged. */
public final class LogCapture implements AutoCloseable {

  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<Logger> loggers;
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
      lines.add(record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  private LogCapture(List<Logger> loggers) {
    this.loggers = loggers;
    loggers.forEach(logger -> logger.addHandler(handler));
  }

  /** Captures what these loggers (by name; "" for the root) and their children log. */
  public static LogCapture of(String... loggerNames) {
    return new LogCapture(java.util.Arrays.stream(loggerNames).map(Logger::getLogger).toList());
  }

  /** The messages logged at {@code level} or above so far (unformatted). */
  public List<String> linesAtLeast(Level level) {
    return records.stream().filter(record -> record.getLevel().intValue() >= level.intValue()).map(LogRecord::getMessage).toList();
  }

  /** The messages so far, as logged (unformatted); a live view. */
  public List<String> lines() {
    return lines;
  }

  @Override
  public void close() {
    loggers.forEach(logger -> logger.removeHandler(handler));
  }
}
