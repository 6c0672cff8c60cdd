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
   * Logs a warning when a reload changed settings that a running component cannot apply, naming those
   * keys only (what it applied, it does not ask a restart for).
   *
   * @param hotKeys the dotted keys (or prefixes of keys) the component applies while it runs
   */
  public static void warnIfRestartNeeded(Logger log, String section, Section<?> before, Section<?> after, Set<String> hotKeys) {
    Set<String> cold = changedKeys(before.json(), after.json());
    cold.removeIf(key -> hotKeys.stream().anyMatch(hot -> key.equals(hot) || key.startsWith(hot + ".")));
    if (!cold.isEmpty()) {
      log.warning("the new " + section + " section changes settings that apply only after a restart (changed: "
        + String.join(", ", cold) + ")");
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
