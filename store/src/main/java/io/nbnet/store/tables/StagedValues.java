package io.nbnet.store.tables;

import io.nbnet.formats.SpecialValues;

/**
 * How a staged row ({@code value DOUBLE NULL, text_value}) holds what a DOUBLE cannot: NaN, ±Inf and the
 * stale marker as {@code value} NULL and {@code text_value} their name after a NUL character
 * ({@code \0NaN}, {@code \0+Inf}, {@code \0-Inf}, {@code \0stale}); a text sample that itself starts
 * with NUL gets a second one, so no text is ever read as a number.
 */
public final class StagedValues {

  private static final char MARK = '\0';

  private StagedValues() {
  }

  /** The {@code text_value} of a staged row holding {@code text}, or, when it is null, the non-finite {@code value}; null for a finite one. */
  public static String text(double value, String text) {
    if (text != null) {
      return text.isEmpty() || text.charAt(0) != MARK ? text : MARK + text;
    }
    String special = SpecialValues.name(value);
    return special == null ? null : MARK + special;
  }

  /** The point a staged row holds. */
  public static Point point(long ts, Double value, String text) {
    if (text == null) {
      return Point.numeric(ts, value);
    }
    if (text.length() > 1 && text.charAt(0) == MARK) {
      if (text.charAt(1) == MARK) {
        return Point.text(ts, text.substring(1));
      }
      Double special = SpecialValues.of(text.substring(1));
      if (special != null) {
        return Point.numeric(ts, special);
      }
    }
    return Point.text(ts, text);
  }
}
