package io.nbnet.support.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** What /health reports: each component registers the checks it can answer (the saver: "mysql"). */
public final class HealthChecks {

  private static final Map<String, BooleanSupplier> CHECKS = new ConcurrentHashMap<>();

  private HealthChecks() {
  }

  public static void register(String name, BooleanSupplier check) {
    CHECKS.put(name, check);
  }

  public static void unregister(String name) {
    CHECKS.remove(name);
  }

  /** Every check by name, true when healthy. */
  public static Map<String, Boolean> results() {
    Map<String, Boolean> results = new TreeMap<>();
    CHECKS.forEach((name, check) -> results.put(name, check.getAsBoolean()));
    return results;
  }
}
