package io.nbnet.formats.nb1;

import io.nbnet.formats.InvalidPayloadException;
import io.nbnet.formats.Sample;
import io.nbnet.formats.SampleLimits;

/** The rules every field of a native line obeys, written once for the fast and the escaped path alike. */
final class FieldRules {

  private FieldRules() {
  }

  static String host(String value, int lineNumber) {
    return checked(value, 1, SampleLimits.MAX_HOST_CHARS, "host", lineNumber);
  }

  static String metric(String value, int lineNumber) {
    return checked(value, 1, SampleLimits.MAX_METRIC_CHARS, "metric", lineNumber);
  }

  static String tags(String value, int lineNumber) {
    return checked(value, 0, SampleLimits.MAX_TAGS_CHARS, "tags", lineNumber);
  }

  /** A numeric value, or a text value when {@code value} starts with {@code "} (already unescaped). */
  static Sample sample(String host, long timestamp, String metric, String tags, String value, int lineNumber) {
    if (value.startsWith("\"")) {
      String text = checked(value.substring(1), 0, SampleLimits.MAX_TEXT_CHARS, "text value", lineNumber);
      return Sample.text(host, timestamp, metric, tags, text);
    }
    return Sample.numeric(host, timestamp, metric, tags, number(value, lineNumber));
  }

  /** Epoch milliseconds: digits only, from 0 to {@link SampleLimits#MAX_TIMESTAMP_MILLIS}. */
  static long timestamp(String text, int from, int to, int lineNumber) {
    return digits(text, from, to, SampleLimits.MAX_TIMESTAMP_MILLIS, "timestamp", lineNumber);
  }

  /** A frame's sequence: digits only, any non-negative 64-bit integer. */
  static long sequence(String text, int from, int to, int lineNumber) {
    return digits(text, from, to, Long.MAX_VALUE, "sequence", lineNumber);
  }

  private static long digits(String text, int from, int to, long max, String name, int lineNumber) {
    long value = 0;
    boolean valid = to > from && to - from <= 19;
    for (int i = from; valid && i < to; i++) {
      char c = text.charAt(i);
      int digit = c - '0';
      if (digit < 0 || digit > 9 || value > (max - digit) / 10) {
        valid = false;
      } else {
        value = value * 10 + digit;
      }
    }
    if (!valid) {
      throw new InvalidPayloadException("native frame line " + lineNumber + ": " + name + " is not an integer from 0 to " + max + ": "
        + abbreviate(text.substring(from, to)));
    }
    return value;
  }

  private static double number(String value, int lineNumber) {
    if (value.isEmpty() || !isPlainNumber(value)) {
      throw new InvalidPayloadException("native frame line " + lineNumber + ": value must be a finite decimal number: " + abbreviate(value));
    }
    double number;
    try {
      number = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new InvalidPayloadException("native frame line " + lineNumber + ": value is not a number: " + abbreviate(value));
    }
    if (!Double.isFinite(number)) {
      throw new InvalidPayloadException("native frame line " + lineNumber + ": value must be a finite decimal number: " + abbreviate(value));
    }
    return number;
  }

  private static boolean isPlainNumber(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
        return false;
      }
    }
    return true;
  }

  private static String checked(String value, int min, int max, String name, int lineNumber) {
    if (value.length() < min || value.length() > max) {
      throw new InvalidPayloadException("native frame line " + lineNumber + ": " + name + " must have " + min + ".." + max
        + " characters, has " + value.length());
    }
    return value;
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
