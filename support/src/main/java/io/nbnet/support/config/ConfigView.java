package io.nbnet.support.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Typed, validating reads from one JSON object of the configuration. Every error names the full
 * dotted path of the key, so an operator can find it in the file. A view remembers the keys it was
 * asked for: each key is declared once, by the read that uses it, and {@link #refuseUnknownKeys()}
 * then refuses any other key of this object and of the sections read from it (a misspelt key would
 * otherwise be silently ignored).
 */
public final class ConfigView {

  private static final Logger log = Logger.getLogger(ConfigView.class.getName());

  private final JsonObject json;
  private final String path;
  private final Set<String> known = new LinkedHashSet<>();
  private final List<ConfigView> children = new ArrayList<>();

  private ConfigView(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  /** A view of a whole object: every reading of a configuration starts here (logged at FINE, so a reader can count them). */
  public static ConfigView of(JsonObject json, String path) {
    log.fine(() -> path.isEmpty() ? "reading the configuration" : "reading the configuration's " + path);
    return new ConfigView(json == null ? new JsonObject() : json, path);
  }

  /** Reads a whole object with {@code reader}, then refuses any key the reader did not ask for. */
  public static <T> T parse(JsonObject json, String path, Function<ConfigView, T> reader) {
    ConfigView view = of(json, path);
    T result = reader.apply(view);
    view.refuseUnknownKeys();
    return result;
  }

  public String path() {
    return path;
  }

  /** True when the key is present (and not null); the key counts as known. */
  public boolean has(String key) {
    known.add(key);
    return json.getValue(key) != null;
  }

  /** A key that may be present and is deliberately not read here. */
  public void ignore(String key) {
    known.add(key);
  }

  /**
   * Fails on the first key of this object, or of a section read from it, that no read asked for.
   *
   * @throws ConfigException naming the key and the keys known there
   */
  public void refuseUnknownKeys() {
    Set<String> unknown = new TreeSet<>(json.fieldNames());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new ConfigException(qualified(unknown.iterator().next()) + ": unknown key (known keys here: "
        + String.join(", ", known) + ")");
    }
    children.forEach(ConfigView::refuseUnknownKeys);
  }

  /** A nested object; missing means empty. */
  public ConfigView section(String key) {
    known.add(key);
    Object value = json.getValue(key);
    if (value != null && !(value instanceof JsonObject)) {
      throw error(key, "expected a JSON object, got " + describe(value));
    }
    ConfigView child = new ConfigView(value == null ? new JsonObject() : (JsonObject) value, qualified(key));
    children.add(child);
    return child;
  }

  /** An array of objects ({@code key[0]}, {@code key[1]}, ...); missing means empty. */
  public List<ConfigView> sections(String key) {
    known.add(key);
    Object value = json.getValue(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw error(key, "expected an array of objects, got " + describe(value));
    }
    List<ConfigView> items = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject item)) {
        throw new ConfigException(qualified(key) + "[" + i + "]: expected an object, got " + describe(array.getValue(i)));
      }
      ConfigView child = new ConfigView(item, qualified(key) + "[" + i + "]");
      children.add(child);
      items.add(child);
    }
    return items;
  }

  /** The keys of this object that no read has asked for yet (for objects whose keys are names, like log levels). */
  public Set<String> keys() {
    Set<String> keys = new TreeSet<>(json.fieldNames());
    known.addAll(keys);
    return keys;
  }

  /** The keys present (not null) in this object, in order. */
  public Set<String> presentKeys() {
    Set<String> present = new TreeSet<>();
    json.forEach(entry -> {
      if (entry.getValue() != null) {
        present.add(entry.getKey());
      }
    });
    return present;
  }

  public String string(String key, String defaultValue) {
    return optionalString(key).orElse(defaultValue);
  }

  public Optional<String> optionalString(String key) {
    known.add(key);
    Object value = json.getValue(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String text)) {
      throw error(key, "expected a string, got " + describe(value));
    }
    return Optional.of(text);
  }

  public String string(String key, String defaultValue, String pattern, String patternDescription) {
    return optionalString(key, pattern, patternDescription).orElse(defaultValue);
  }

  public Optional<String> optionalString(String key, String pattern, String patternDescription) {
    Optional<String> value = optionalString(key);
    if (value.isPresent() && !value.get().matches(pattern)) {
      throw error(key, "expected " + patternDescription + ", got \"" + value.get() + "\"");
    }
    return value;
  }

  /** A secret (a password, a token): read like a string, but no error message ever shows its value. */
  public Optional<String> secret(String key) {
    known.add(key);
    Object value = json.getValue(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String text)) {
      throw error(key, "expected a string (the value is not shown: it is a secret)");
    }
    return Optional.of(text);
  }

  public int integer(String key, int defaultValue, int min, int max) {
    return (int) longValue(key, defaultValue, min, max);
  }

  public long longValue(String key, long defaultValue, long min, long max) {
    known.add(key);
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw error(key, "expected an integer from " + min + " to " + max + ", got " + describe(value));
    }
    long number = ((Number) value).longValue();
    if (number < min || number > max) {
      throw error(key, "expected an integer from " + min + " to " + max + ", got " + number);
    }
    return number;
  }

  public double doubleValue(String key, double defaultValue, double min, double max) {
    known.add(key);
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number number) || number.doubleValue() < min || number.doubleValue() > max) {
      throw error(key, "expected a number from " + min + " to " + max + ", got " + describe(value));
    }
    return number.doubleValue();
  }

  public boolean bool(String key, boolean defaultValue) {
    known.add(key);
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean flag)) {
      throw error(key, "expected true or false, got " + describe(value));
    }
    return flag;
  }

  /** An array of numbers within {@code min}..{@code max}. */
  public List<Double> doubles(String key, List<Double> defaultValue, double min, double max) {
    known.add(key);
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof JsonArray array)) {
      throw error(key, "expected an array of numbers, got " + describe(value));
    }
    List<Double> result = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof Number number) || number.doubleValue() < min || number.doubleValue() > max) {
        throw error(key, "expected numbers from " + min + " to " + max + ", found " + describe(item));
      }
      result.add(number.doubleValue());
    }
    return List.copyOf(result);
  }

  public List<String> strings(String key, List<String> defaultValue) {
    known.add(key);
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof JsonArray array)) {
      throw error(key, "expected an array of strings, got " + describe(value));
    }
    List<String> result = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String text)) {
        throw error(key, "expected an array of strings, found " + describe(item));
      }
      result.add(text);
    }
    return List.copyOf(result);
  }

  public <E extends Enum<E>> E choice(String key, E defaultValue, Class<E> type) {
    Optional<String> value = optionalString(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().replace('_', '-').equalsIgnoreCase(value.get())) {
        return constant;
      }
    }
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      names.add(constant.name().replace('_', '-').toLowerCase());
    }
    throw error(key, "expected one of " + names + ", got \"" + value.get() + "\"");
  }

  public ConfigException error(String key, String problem) {
    return new ConfigException(qualified(key) + ": " + problem);
  }

  private String qualified(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String describe(Object value) {
    if (value instanceof String) {
      return "the string \"" + value + "\"";
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    return String.valueOf(value);
  }
}
