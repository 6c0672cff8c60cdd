package io.nbnet.collector.plugin;

import io.nbnet.sample.SampleLimits;
import io.nbnet.sample.Sample;
import io.nbnet.sample.Tags;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The output formats a plugin may print. Each turns the whole output into samples of this host;
 * a line it cannot read is counted and skipped, the others are kept.
 * <ul>
 *   <li>{@code legacy}: {@code key:value} lines, the old agent's plugins; stored as the old
 *       {@code UD_<key>} values were: metric {@code UD_<key>}, text value</li>
 *   <li>{@code graphite}: {@code name value [epoch-seconds]} lines</li>
 *   <li>{@code influx}: InfluxDB line protocol, {@code measurement[,tag=v] field=v[,field=v] [epoch-ns]};
 *       metric {@code measurement.field}</li>
 *   <li>{@code json}: an object of {@code name: value} (nested objects joined with dots), or an array
 *       of {@code {"metric", "value", "tags"?, "timestamp"?}} objects</li>
 * </ul>
 */
public enum OutputFormat {
  LEGACY, GRAPHITE, INFLUX, JSON;

  public ParsedOutput parse(String output, String host, long nowMillis) {
    Collector out = new Collector(host, nowMillis);
    if (this == JSON) {
      parseJson(output, out);
    } else {
      String[] lines = output.split("\n");
      for (String raw : lines) {
        String line = raw.strip();
        if (line.isEmpty() || (this != LEGACY && line.startsWith("#"))) {
          continue;
        }
        try {
          switch (this) {
            case LEGACY -> parseLegacy(line, out);
            case GRAPHITE -> parseGraphite(line, out);
            case INFLUX -> InfluxLine.parse(line, out);
            default -> throw new IllegalStateException();
          }
        } catch (IllegalArgumentException e) {
          out.bad(line, e.getMessage());
        }
      }
    }
    return new ParsedOutput(out.samples, out.badLines, out.firstProblem);
  }

  private static void parseLegacy(String line, Collector out) {
    int colon = line.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected key:value");
    }
    out.text("UD_" + line.substring(0, colon).strip(), Tags.NONE, line.substring(colon + 1).strip(), out.nowMillis);
  }

  private static void parseGraphite(String line, Collector out) {
    String[] fields = line.split("\\s+");
    if (fields.length < 2 || fields.length > 3) {
      throw new IllegalArgumentException("expected: name value [timestamp]");
    }
    long timestamp = fields.length == 3 ? secondsToMillis(fields[2]) : out.nowMillis;
    out.number(fields[0], Tags.NONE, number(fields[1]), timestamp);
  }

  private static void parseJson(String output, Collector out) {
    Object parsed;
    try {
      String trimmed = output.strip();
      parsed = trimmed.startsWith("[") ? new JsonArray(trimmed) : new JsonObject(trimmed);
    } catch (DecodeException e) {
      out.bad(output, "not a JSON object or array: " + e.getMessage());
      return;
    }
    if (parsed instanceof JsonObject object) {
      flatten("", object, out);
      return;
    }
    for (Object item : (JsonArray) parsed) {
      try {
        if (!(item instanceof JsonObject entry) || !(entry.getValue("metric") instanceof String metric)) {
          throw new IllegalArgumentException("array items must be objects with a \"metric\"");
        }
        Map<String, String> tags = new TreeMap<>();
        entry.getJsonObject("tags", new JsonObject()).forEach(tag -> tags.put(tag.getKey(), String.valueOf(tag.getValue())));
        Object timestamp = entry.getValue("timestamp");
        long millis = timestamp instanceof Number n ? epochToMillis(n.doubleValue()) : out.nowMillis;
        out.value(metric, Tags.of(tags), entry.getValue("value"), millis);
      } catch (IllegalArgumentException | ClassCastException e) {
        out.bad(String.valueOf(item), e.getMessage());
      }
    }
  }

  private static void flatten(String prefix, JsonObject object, Collector out) {
    object.forEach(entry -> {
      String name = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
      if (entry.getValue() instanceof JsonObject nested) {
        flatten(name, nested, out);
      } else {
        try {
          out.value(name, Tags.NONE, entry.getValue(), out.nowMillis);
        } catch (IllegalArgumentException e) {
          out.bad(name, e.getMessage());
        }
      }
    });
  }

  static double number(String text) {
    try {
      double value = Double.parseDouble(text);
      if (!Double.isFinite(value)) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + text);
    }
  }

  private static long secondsToMillis(String text) {
    return epochToMillis(number(text));
  }

  /** Seconds, unless the number is too large to be seconds: then milliseconds. */
  private static long epochToMillis(double value) {
    return value > 1e11 ? (long) value : Math.round(value * 1000);
  }

  /** Builds samples with the limits the saver enforces, so a bad name fails here, on its own line. */
  static final class Collector {
    final String host;
    final long nowMillis;
    final List<Sample> samples = new ArrayList<>();
    int badLines;
    String firstProblem;

    Collector(String host, long nowMillis) {
      this.host = host;
      this.nowMillis = nowMillis;
    }

    void number(String metric, String tags, double value, long timestampMillis) {
      check(metric, tags);
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("value of " + metric + " is not finite");
      }
      samples.add(Sample.numeric(host, timestampMillis, metric, tags, value));
    }

    void text(String metric, String tags, String value, long timestampMillis) {
      check(metric, tags);
      if (value.length() > SampleLimits.MAX_TEXT_CHARS) {
        throw new IllegalArgumentException("text value longer than " + SampleLimits.MAX_TEXT_CHARS + " characters");
      }
      samples.add(Sample.text(host, timestampMillis, metric, tags, value));
    }

    void value(String metric, String tags, Object value, long timestampMillis) {
      if (value instanceof Number n) {
        number(metric, tags, n.doubleValue(), timestampMillis);
      } else if (value instanceof Boolean b) {
        number(metric, tags, b ? 1 : 0, timestampMillis);
      } else if (value instanceof String s) {
        text(metric, tags, s, timestampMillis);
      } else {
        throw new IllegalArgumentException("value of " + metric + " must be a number, boolean or string");
      }
    }

    void bad(String line, String problem) {
      badLines++;
      if (firstProblem == null) {
        String shown = line.length() > 80 ? line.substring(0, 80) + "..." : line;
        firstProblem = problem + " in \"" + shown + "\"";
      }
    }

    private static void check(String metric, String tags) {
      if (metric.isEmpty() || metric.length() > SampleLimits.MAX_METRIC_CHARS) {
        throw new IllegalArgumentException("metric name must have 1.." + SampleLimits.MAX_METRIC_CHARS + " characters");
      }
      if (tags.length() > SampleLimits.MAX_TAGS_CHARS) {
        throw new IllegalArgumentException("tags longer than " + SampleLimits.MAX_TAGS_CHARS + " characters");
      }
    }
  }
}
