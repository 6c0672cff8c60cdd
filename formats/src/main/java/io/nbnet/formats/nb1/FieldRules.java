package io.nbnet.formats.nb1;

import io.nbnet.formats.InvalidPayloadException;
import io.nbnet.formats.Sample;
import io.nbnet.formats.SampleLimits;
import io.nbnet.formats.SpecialValues;

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
      String text = value.substring(1);
      checked(text, 0, SampleLimits.maxTextChars(text), "text value", lineNumber);
      return Sample.text(host, timestamp, metric, tags, text);
    }
    return Sample.numeric(host, timestamp, metric, tags, number(value, 0, value.length(), lineNumber));
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

  /** Exact powers of ten: a double holds every one up to 10^22. */
  private static final double[] POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  /** Double.MAX_VALUE is about 1.8e308: a decimal with no more integer digits than this is finite. */
  private static final int MAX_FINITE_INTEGER_DIGITS = 308;
  /** 2^53: every integer below it is exact in a double. */
  private static final long EXACT_INTEGERS = 1L << 53;

  /**
   * A finite decimal number in {@code text[from, to)}: digits, sign, point and exponent only; or one of
   * {@link SpecialValues}' names ({@code NaN}, {@code +Inf}, {@code -Inf}, {@code stale}).
   */
  static double number(String text, int from, int to, int lineNumber) {
    Double special = special(text, from, to);
    if (special != null) {
      return special;
    }
    boolean negative = false;
    int i = from;
    if (i < to && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
      negative = text.charAt(i) == '-';
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int fractionDigits = -1;
    for (; i < to; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        if (++digits > 18) {
          break;
        }
        mantissa = mantissa * 10 + (c - '0');
        if (fractionDigits >= 0) {
          fractionDigits++;
        }
      } else if (c == '.' && fractionDigits < 0) {
        fractionDigits = 0;
      } else {
        break;
      }
    }
    if (i == to && digits > 0 && mantissa < EXACT_INTEGERS && fractionDigits < POWERS_OF_TEN.length) {
      // both operands exact, so the one rounding of the division gives what parseDouble gives
      double value = fractionDigits <= 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits];
      return negative ? -value : value;
    }
    return parsedNumber(text.substring(from, to), lineNumber);
  }

  private static double parsedNumber(String value, int lineNumber) {
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
    length(value.length(), min, max, name, lineNumber);
    return value;
  }

  static void length(int length, int min, int max, String name, int lineNumber) {
    if (length < min || length > max) {
      throw new InvalidPayloadException("native frame line " + lineNumber + ": " + name + " must have " + min + ".." + max
        + " characters, has " + length);
    }
  }

  /**
   * Checks {@code text[from, to)} as {@link #number} does, without converting it where it need not: a
   * decimal without an exponent is finite whenever its integer part has at most 308 digits.
   */
  static void checkNumber(String text, int from, int to, int lineNumber) {
    if (special(text, from, to) != null) {
      return;
    }
    int i = from;
    if (i < to && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
      i++;
    }
    int integerDigits = 0;
    int fractionDigits = 0;
    boolean point = false;
    for (; i < to; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        if (point) {
          fractionDigits++;
        } else {
          integerDigits++;
        }
      } else if (c == '.' && !point) {
        point = true;
      } else {
        break;
      }
    }
    if (i == to && integerDigits + fractionDigits > 0 && integerDigits <= MAX_FINITE_INTEGER_DIGITS) {
      return;
    }
    number(text, from, to, lineNumber);
  }

  /** The special value {@code text[from, to)} names, if it is one of the four names. */
  private static Double special(String text, int from, int to) {
    int length = to - from;
    return length >= 3 && length <= 5 && (text.charAt(from) == 'N' || text.charAt(from) == '+' || text.charAt(from) == '-'
      || text.charAt(from) == 's') ? SpecialValues.of(text.substring(from, to)) : null;
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
