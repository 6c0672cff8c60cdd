package io.nbnet.otlp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * OTLP metric and attribute names as Prometheus's OTLP translation makes them (its
 * {@code normalize_name.go} with metric suffixes on): the name's words (what lies between characters
 * that are neither letters nor digits) joined by {@code _}, the unit as a word appended where the name
 * lacks it ({@code s} -> {@code seconds}, {@code By} -> {@code bytes}, {@code By/s} -> {@code bytes_per_second};
 * an annotation in braces is no unit), {@code total} appended to a monotonic sum, {@code ratio} to a
 * gauge of unit {@code 1}; a name starting with a digit gets {@code _} before it. An attribute's name
 * has every other character made {@code _}, and a {@code key} before a leading digit or single underscore.
 */
public final class OtlpNames {

  private static final Map<String, String> UNITS = Map.ofEntries(
    Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"), Map.entry("s", "seconds"), Map.entry("ms", "milliseconds"),
    Map.entry("us", "microseconds"), Map.entry("ns", "nanoseconds"), Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"),
    Map.entry("MiBy", "mebibytes"), Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"),
    Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"), Map.entry("m", "meters"),
    Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"), Map.entry("W", "watts"), Map.entry("g", "grams"),
    Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"), Map.entry("1", ""), Map.entry("%", "percent"));
  private static final Map<String, String> PER_UNITS = Map.of("s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week",
    "mo", "month", "y", "year");

  /** What kind of metric a name is for: the suffixes depend on it. */
  public enum Kind { GAUGE, MONOTONIC_SUM, SUM, HISTOGRAM, SUMMARY }

  private OtlpNames() {
  }

  /** The Prometheus name of an OTLP metric of {@code kind} with {@code unit}. */
  public static String metric(String name, String unit, Kind kind) {
    List<String> words = new ArrayList<>(words(name));
    String[] units = unit.split("/", 2);
    String main = units[0].trim();
    if (!main.isEmpty() && !main.contains("{") && !main.contains("}")) {
      String word = String.join("_", words(UNITS.getOrDefault(main, main)));
      if (!word.isEmpty() && !words.contains(word)) {
        words.add(word);
      }
    }
    if (units.length > 1) {
      String per = units[1].trim();
      if (!per.isEmpty() && !per.contains("{") && !per.contains("}")) {
        String word = String.join("_", words(PER_UNITS.getOrDefault(per, per)));
        if (!word.isEmpty() && !words.contains(word)) {
          words.add("per");
          words.add(word);
        }
      }
    }
    if (kind == Kind.MONOTONIC_SUM) {
      words.removeIf("total"::equals);
      words.add("total");
    }
    if (kind == Kind.GAUGE && unit.equals("1")) {
      words.removeIf("ratio"::equals);
      words.add("ratio");
    }
    String joined = String.join("_", words);
    return !joined.isEmpty() && Character.isDigit(joined.charAt(0)) ? "_" + joined : joined;
  }

  /** A label name as Prometheus makes it of an attribute's key. */
  public static String label(String key) {
    if (key.isEmpty()) {
      return key;
    }
    StringBuilder label = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      label.append(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' ? c : '_');
    }
    if (Character.isDigit(label.charAt(0))) {
      return "key_" + label;
    }
    return label.charAt(0) == '_' && !label.toString().startsWith("__") ? "key" + label : label.toString();
  }

  private static List<String> words(String text) {
    return Arrays.stream(text.split("[^\\p{L}\\p{Nd}]+")).filter(word -> !word.isEmpty()).toList();
  }
}
