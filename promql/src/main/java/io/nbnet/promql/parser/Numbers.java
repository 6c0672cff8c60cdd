package io.nbnet.promql.parser;

import java.util.Locale;
import java.util.function.Supplier;

/** Numbers as Prometheus reads them: Go's integer syntax first (hex, octal), then a float, {@code Inf} and {@code NaN} in any case. */
public final class Numbers {

  private Numbers() {
  }

  public static <E extends RuntimeException> double parse(String text, Supplier<E> error) {
    String body = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
    boolean negative = text.startsWith("-");
    try {
      if (body.matches("0[xX][0-9a-fA-F]+")) {
        return signed(negative, (double) Long.parseLong(body.substring(2), 16));
      }
      if (body.matches("0[0-7]+")) {
        return signed(negative, (double) Long.parseLong(body.substring(1), 8));
      }
      if (body.matches("[0-9]+")) {
        return signed(negative, (double) Long.parseLong(body));
      }
    } catch (NumberFormatException outOfRange) {
      // past int64: read as a float below, as Go does
    }
    String lower = body.toLowerCase(Locale.ROOT);
    if (lower.equals("inf") || lower.equals("infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    if (!body.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
      throw error.get();
    }
    return signed(negative, Double.parseDouble(body));
  }

  private static double signed(boolean negative, double value) {
    return negative ? -value : value;
  }
}
