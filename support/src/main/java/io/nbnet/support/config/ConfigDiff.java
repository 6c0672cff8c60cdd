package io.nbnet.support.config;

import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/** What changed between two versions of a config section, for the log line a reload writes. */
public final class ConfigDiff {

  private ConfigDiff() {
  }

  /** The dotted paths whose values differ; nested objects are compared key by key, arrays as a whole. */
  public static Set<String> changedKeys(JsonObject before, JsonObject after) {
    Set<String> changed = new TreeSet<>();
    collect("", before == null ? new JsonObject() : before, after == null ? new JsonObject() : after, changed);
    return changed;
  }

  /**
   * Logs a warning when a reload changed settings that a running component cannot apply: it names
   * every changed key, so the operator knows what the restart is for.
   *
   * @param restartNeeded the component's own judgement: true when something beyond its hot settings changed
   */
  public static void warnIfRestartNeeded(Logger log, String section, Section<?> before, Section<?> after, boolean restartNeeded) {
    if (restartNeeded) {
      log.warning("the new " + section + " section changes settings that apply only after a restart (changed: "
        + String.join(", ", changedKeys(before.json(), after.json())) + ")");
    }
  }

  private static void collect(String prefix, JsonObject before, JsonObject after, Set<String> changed) {
    Set<String> keys = new TreeSet<>(before.fieldNames());
    keys.addAll(after.fieldNames());
    for (String key : keys) {
      Object a = before.getValue(key);
      Object b = after.getValue(key);
      if (a instanceof JsonObject objectA && b instanceof JsonObject objectB) {
        collect(prefix + key + ".", objectA, objectB, changed);
      } else if (!Objects.equals(a, b)) {
        changed.add(prefix + key);
      }
    }
  }
}
