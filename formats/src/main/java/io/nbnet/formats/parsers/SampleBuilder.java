package io.nbnet.formats.parsers;

import io.nbnet.formats.Sample;
import io.nbnet.formats.SampleLimits;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Collects the samples of one parse with the limits the saver enforces, so that a name the tables
 * cannot hold fails on its own line instead of refusing the whole frame later.
 */
final class SampleBuilder {

  private final SampleDefaults defaults;
  private final List<Sample> samples = new ArrayList<>();
  private int badParts;
  private String firstProblem;

  SampleBuilder(SampleDefaults defaults) {
    this.defaults = defaults;
  }

  long nowMillis() {
    return defaults.nowMillis();
  }

  void number(String metric, String tags, double value, long timestampMillis) {
    check(metric, tags);
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("value of " + metric + " is not finite");
    }
    samples.add(Sample.numeric(defaults.host(), timestampMillis, metric, tags, value));
  }

  void text(String metric, String tags, String value, long timestampMillis) {
    check(metric, tags);
    if (value.length() > SampleLimits.maxTextChars(value)) {
      throw new IllegalArgumentException("text value longer than " + SampleLimits.maxTextChars(value) + " characters");
    }
    samples.add(Sample.text(defaults.host(), timestampMillis, metric, tags, value));
  }

  /** A JSON value: a number, a boolean (1 or 0) or a string (a text sample). */
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

  /** Records a part that could not be read; {@code where} says which (a line number and its start). */
  void bad(String where, String problem) {
    badParts++;
    if (firstProblem == null) {
      firstProblem = problem + " in " + where;
    }
  }

  ParsedSamples result() {
    return new ParsedSamples(List.copyOf(samples), badParts, Optional.ofNullable(firstProblem));
  }

  static double number(String text) {
    try {
      double value = Double.parseDouble(text);
      if (!Double.isFinite(value)) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + abbreviate(text));
    }
  }

  /** Seconds, unless the number is too large to be seconds: then milliseconds. */
  static long epochToMillis(double value) {
    return value > 1e11 ? (long) value : Math.round(value * 1000);
  }

  static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
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
