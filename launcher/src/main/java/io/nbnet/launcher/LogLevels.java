package io.nbnet.launcher;

import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Applies {@code logging.levels}; the loggers are held so java.util.logging does not forget their levels. */
final class LogLevels {

  private static final Map<String, Logger> CONFIGURED = new HashMap<>();

  private LogLevels() {
  }

  static synchronized void apply(Map<String, Level> levels) {
    levels.forEach((name, level) -> {
      Logger logger = CONFIGURED.computeIfAbsent(name, Logger::getLogger);
      if (logger.getLevel() != level) {
        logger.setLevel(level);
        Logger.getLogger(LogLevels.class.getName()).info("log level of " + (name.isEmpty() ? "the root logger" : name) + " is now " + level);
      }
    });
  }
}
