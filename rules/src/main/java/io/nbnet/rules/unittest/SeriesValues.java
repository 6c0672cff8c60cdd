package io.nbnet.rules.unittest;

import io.nbnet.promql.Values;
import io.nbnet.rules.template.GoFormat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus's expanding notation for test series values ({@code promql/parser}'s series description):
 * {@code 1 2 3}, {@code _} (no sample), {@code _x3}, {@code stale}, {@code 7x3} (7 four times),
 * {@code 1+2x3} (1 3 5 7), {@code 5-1x2} (5 4 3). A null element is an omitted sample.
 */
final class SeriesValues {

  private static final String NUMBER = "(?:[0-9]+\\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\\.[0-9]+(?:[eE][+-]?[0-9]+)?|(?i:inf|nan))";
  private static final Pattern ITEM = Pattern.compile("(stale|[+-]?" + NUMBER + ")(?:([+-]" + NUMBER + "))?(?:x([0-9]+))?");
  private static final Pattern BLANK = Pattern.compile("_(?:x([0-9]+))?");
  /** A test file may not ask for more samples than this in one series. */
  static final int MAX_VALUES = 1_000_000;

  private SeriesValues() {
  }

  static List<Double> parse(String text) {
    List<Double> values = new ArrayList<>();
    for (String item : text.trim().split("\\s+")) {
      if (item.isEmpty()) {
        continue;
      }
      Matcher blank = BLANK.matcher(item);
      if (blank.matches()) {
        int count = blank.group(1) == null ? 1 : repetitions(blank.group(1), item);
        for (int i = 0; i < count; i++) {
          add(values, null);
        }
        continue;
      }
      Matcher match = ITEM.matcher(item);
      if (!match.matches()) {
        throw new IllegalArgumentException("parse error: unexpected " + GoFormat.quote(item)
          + " in series values, expected number or \"stale\"");
      }
      double value = match.group(1).equals("stale") ? Values.STALE_NAN : number(match.group(1));
      if (match.group(3) == null) {
        if (match.group(2) != null) {
          throw new IllegalArgumentException("bad series value " + item + ": a step needs xN after it");
        }
        add(values, value);
        continue;
      }
      double step = match.group(2) == null ? 0 : number(match.group(2));
      int times = repetitions(match.group(3), item);
      for (int i = 0; i <= times; i++) {
        add(values, value);
        value += step;
      }
    }
    return values;
  }

  private static void add(List<Double> values, Double value) {
    if (values.size() >= MAX_VALUES) {
      throw new IllegalArgumentException("more than " + MAX_VALUES + " values in one series");
    }
    values.add(value);
  }

  private static int repetitions(String text, String item) {
    try {
      int count = Integer.parseInt(text);
      if (count > MAX_VALUES) {
        throw new NumberFormatException();
      }
      return count;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid repetition in series values: " + item);
    }
  }

  static double number(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
    double value = switch (unsigned) {
      case "inf" -> Double.POSITIVE_INFINITY;
      case "nan" -> Double.NaN;
      default -> Double.parseDouble(unsigned);
    };
    return lower.startsWith("-") ? -value : value;
  }
}
