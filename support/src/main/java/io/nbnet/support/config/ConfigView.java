package io.nbnet.support.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, validating reads from one JSON object of the configuration. Every error names the full
 * dotted path of the key, so an operator can find it in the file.
 */
public final class ConfigView {

  private final JsonObject json;
  private final String path;

  private ConfigView(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  public static ConfigView of(JsonObject json, String path) {
    return new ConfigView(json == null ? new JsonObject() : json, path);
  }

  public JsonObject json() {
    return json;
  }

  public String path() {
    return path;
  }

  public boolean has(String key) {
    return json.containsKey(key) && json.getValue(key) != null;
  }

  /** Fails on any key not listed: a misspelt key would otherwise be silently ignored. */
  public ConfigView allowOnly(String... keys) {
    Set<String> unknown = new TreeSet<>(json.fieldNames());
    Arrays.asList(keys).forEach(unknown::remove);
    if (!unknown.isEmpty()) {
      throw new ConfigException(qualified(unknown.iterator().next()) + ": unknown key (known keys here: "
        + String.join(", ", keys) + ")");
    }
    return this;
  }

  /** A nested object; missing means empty. */
  public ConfigView section(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return new ConfigView(new JsonObject(), qualified(key));
    }
    if (!(value instanceof JsonObject)) {
      throw error(key, "expected a JSON object, got " + describe(value));
    }
    return new ConfigView((JsonObject) value, qualified(key));
  }

  public String string(String key, String defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof String)) {
      throw error(key, "expected a string, got " + describe(value));
    }
    return (String) value;
  }

  public String string(String key, String defaultValue, String pattern, String patternDescription) {
    String value = string(key, defaultValue);
    if (value != null && !value.matches(pattern)) {
      throw error(key, "expected " + patternDescription + ", got \"" + value + "\"");
    }
    return value;
  }

  public int integer(String key, int defaultValue, int min, int max) {
    return (int) longValue(key, defaultValue, min, max);
  }

  public long longValue(String key, long defaultValue, long min, long max) {
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

  public boolean bool(String key, boolean defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean)) {
      throw error(key, "expected true or false, got " + describe(value));
    }
    return (Boolean) value;
  }

  public List<String> strings(String key, List<String> defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof JsonArray)) {
      throw error(key, "expected an array of strings, got " + describe(value));
    }
    List<String> result = new ArrayList<>();
    for (Object item : (JsonArray) value) {
      if (!(item instanceof String)) {
        throw error(key, "expected an array of strings, found " + describe(item));
      }
      result.add((String) item);
    }
    return List.copyOf(result);
  }

  public <E extends Enum<E>> E choice(String key, E defaultValue, Class<E> type) {
    String value = string(key, null);
    if (value == null) {
      return defaultValue;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().replace('_', '-').equalsIgnoreCase(value)) {
        return constant;
      }
    }
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      names.add(constant.name().replace('_', '-').toLowerCase());
    }
    throw error(key, "expected one of " + names + ", got \"" + value + "\"");
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
