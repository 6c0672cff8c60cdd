package io.nbnet.support.config;

import io.nbnet.support.testing.LogCapture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reload's log line: it asks for a restart only for what the component could not apply, and names just that. */
class ConfigDiffTest {

  private static final Logger log = Logger.getLogger(ConfigDiffTest.class.getName());
  private static final Set<String> HOT = Set.of("samples.batchRows", "plugins");

  @Test
  @DisplayName("a reload that changes only settings applied at once asks for no restart")
  void hotChangesAskForNoRestart() {
    try (LogCapture captured = LogCapture.of(ConfigDiffTest.class.getName())) {
      ConfigDiff.warnIfRestartNeeded(log, "saver", section(new JsonObject().put("samples", new JsonObject().put("batchRows", 10))),
        section(new JsonObject().put("samples", new JsonObject().put("batchRows", 20)).put("plugins", new JsonObject().put("a", 1))), HOT);
      assertEquals(List.of(), captured.linesAtLeast(Level.WARNING));
    }
  }

  @Test
  @DisplayName("beside applied settings, the ones that need a restart are named, and only they")
  void namesOnlyTheColdKeys() {
    try (LogCapture captured = LogCapture.of(ConfigDiffTest.class.getName())) {
      ConfigDiff.warnIfRestartNeeded(log, "saver",
        section(new JsonObject().put("port", 1).put("samples", new JsonObject().put("batchRows", 10).put("maxFlushes", 4))),
        section(new JsonObject().put("port", 2).put("samples", new JsonObject().put("batchRows", 20).put("maxFlushes", 8))), HOT);
      assertEquals(List.of("the new saver section changes settings that apply only after a restart (changed: port, samples.maxFlushes)"),
        captured.linesAtLeast(Level.WARNING));
    }
  }

  private static Section<JsonObject> section(JsonObject json) {
    return new Section<>(json, json);
  }
}
