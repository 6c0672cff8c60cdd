package io.nbnet.formats.parsers;

import io.nbnet.formats.Tags;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * InfluxDB line protocol: {@code measurement[,tag=value...] field=value[,field=value...] [timestamp-ns]},
 * one sample per field, metric {@code measurement.field}. Backslash escapes commas, spaces and equals
 * signs; string field values are double-quoted; integers end in {@code i} (or {@code u}); booleans
 * are t/true/f/false (stored as 1 and 0). Timestamps count nanoseconds unless the writer says another
 * precision (InfluxDB's {@code precision} parameter); nbnet keeps milliseconds.
 */
public final class InfluxParser extends LineParser {

  private final TimeUnit precision;

  /** Timestamps in nanoseconds, as InfluxDB reads them by default. */
  public InfluxParser() {
    this(TimeUnit.NANOSECONDS);
  }

  public InfluxParser(TimeUnit precision) {
    this.precision = precision;
  }

  /**
   * The unit an InfluxDB {@code precision} parameter names: {@code n}/{@code ns}, {@code u}/{@code us},
   * {@code ms}, {@code s}, {@code m}, {@code h}; nanoseconds when absent; empty when it names none of them.
   */
  public static Optional<TimeUnit> precision(String parameter) {
    if (parameter == null || parameter.isEmpty()) {
      return Optional.of(TimeUnit.NANOSECONDS);
    }
    return Optional.ofNullable(switch (parameter) {
      case "n", "ns" -> TimeUnit.NANOSECONDS;
      case "u", "us" -> TimeUnit.MICROSECONDS;
      case "ms" -> TimeUnit.MILLISECONDS;
      case "s" -> TimeUnit.SECONDS;
      case "m" -> TimeUnit.MINUTES;
      case "h" -> TimeUnit.HOURS;
      default -> null;
    });
  }

  @Override
  void parseLine(String line, SampleBuilder out) {
    List<String> sections = split(line, ' ');
    if (sections.size() < 2 || sections.size() > 3) {
      throw new IllegalArgumentException("expected: measurement[,tags] fields [timestamp]");
    }
    List<String> series = split(sections.get(0), ',');
    String measurement = unescape(series.get(0));
    Map<String, String> tags = new TreeMap<>();
    for (String tag : series.subList(1, series.size())) {
      List<String> pair = split(tag, '=');
      if (pair.size() != 2) {
        throw new IllegalArgumentException("bad tag: " + SampleBuilder.abbreviate(tag));
      }
      tags.put(unescape(pair.get(0)), unescape(pair.get(1)));
    }
    long timestamp = sections.size() == 3 ? millis(sections.get(2)) : out.nowMillis();
    String tagText = Tags.of(tags);
    for (String field : split(sections.get(1), ',')) {
      List<String> pair = split(field, '=');
      if (pair.size() != 2) {
        throw new IllegalArgumentException("bad field: " + SampleBuilder.abbreviate(field));
      }
      String metric = measurement + "." + unescape(pair.get(0));
      String value = pair.get(1);
      if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
        out.text(metric, tagText, value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\"), timestamp);
      } else if (value.equals("t") || value.equalsIgnoreCase("true")) {
        out.number(metric, tagText, 1, timestamp);
      } else if (value.equals("f") || value.equalsIgnoreCase("false")) {
        out.number(metric, tagText, 0, timestamp);
      } else if (value.endsWith("i") || value.endsWith("u")) {
        out.number(metric, tagText, SampleBuilder.number(value.substring(0, value.length() - 1)), timestamp);
      } else {
        out.number(metric, tagText, SampleBuilder.number(value), timestamp);
      }
    }
  }

  /** A timestamp in the writer's precision, in milliseconds (a finer one rounded down). */
  private long millis(String text) {
    try {
      long time = Long.parseLong(text);
      if (time < 0) {
        throw new NumberFormatException();
      }
      long millis = precision.toMillis(time);
      if (millis == Long.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return millis;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad timestamp: " + SampleBuilder.abbreviate(text));
    }
  }

  /** Splits on a separator that is neither escaped nor inside double quotes. */
  private static List<String> split(String text, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        part.append(c).append(text.charAt(++i));
      } else if (c == '"') {
        quoted = !quoted;
        part.append(c);
      } else if (c == separator && !quoted) {
        parts.add(part.toString());
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    parts.add(part.toString());
    return parts;
  }

  private static String unescape(String text) {
    return text.replace("\\,", ",").replace("\\ ", " ").replace("\\=", "=");
  }
}
