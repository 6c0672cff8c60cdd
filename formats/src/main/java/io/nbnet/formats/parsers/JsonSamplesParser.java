package io.nbnet.formats.parsers;

import io.nbnet.formats.Tags;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/**
 * JSON: an object of {@code name: value} (nested objects joined with dots), or an array of
 * {@code {"metric", "value", "tags"?, "timestamp"?}} objects (timestamp in epoch seconds or milliseconds).
 */
public final class JsonSamplesParser implements SampleParser {

  @Override
  public ParsedSamples parse(String input, SampleDefaults defaults) {
    SampleBuilder out = new SampleBuilder(defaults);
    Object parsed;
    try {
      String trimmed = input.strip();
      parsed = trimmed.startsWith("[") ? new JsonArray(trimmed) : new JsonObject(trimmed);
    } catch (DecodeException | ClassCastException e) {
      out.bad("the input", "not a JSON object or array: " + SampleBuilder.abbreviate(String.valueOf(e.getMessage())));
      return out.result();
    }
    if (parsed instanceof JsonObject object) {
      flatten("", object, out);
    } else {
      int index = 0;
      for (Object item : (JsonArray) parsed) {
        try {
          addItem(item, out);
        } catch (IllegalArgumentException | ClassCastException e) {
          out.bad("item " + index, e.getMessage());
        }
        index++;
      }
    }
    return out.result();
  }

  private static void addItem(Object item, SampleBuilder out) {
    if (!(item instanceof JsonObject entry) || !(entry.getValue("metric") instanceof String metric)) {
      throw new IllegalArgumentException("array items must be objects with a \"metric\"");
    }
    Map<String, String> tags = new TreeMap<>();
    entry.getJsonObject("tags", new JsonObject()).forEach(tag -> tags.put(tag.getKey(), String.valueOf(tag.getValue())));
    long millis = entry.getValue("timestamp") instanceof Number n ? SampleBuilder.epochToMillis(n.doubleValue()) : out.nowMillis();
    out.value(metric, Tags.of(tags), entry.getValue("value"), millis);
  }

  private static void flatten(String prefix, JsonObject object, SampleBuilder out) {
    object.forEach(entry -> {
      String name = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
      if (entry.getValue() instanceof JsonObject nested) {
        flatten(name, nested, out);
      } else {
        try {
          out.value(name, Tags.NONE, entry.getValue(), out.nowMillis());
        } catch (IllegalArgumentException e) {
          out.bad("\"" + name + "\"", e.getMessage());
        }
      }
    });
  }
}
