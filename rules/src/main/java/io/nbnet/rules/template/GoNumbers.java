package io.nbnet.rules.template;

import java.util.regex.Pattern;

/** Go's {@code strconv.ParseFloat} for decimal text: no surrounding space, no Java suffixes ({@code 1d}, {@code 2f}). */
final class GoNumbers {

  private static final Pattern DECIMAL =
    Pattern.compile("[+-]?([0-9](_?[0-9])*\\.?([0-9](_?[0-9])*)?|\\.[0-9](_?[0-9])*)([eE][+-]?[0-9]+)?");
  private static final Pattern SPECIAL = Pattern.compile("[+-]?(?i:inf|infinity|nan)");

  private GoNumbers() {
  }

  static double parseFloat(String text) {
    if (SPECIAL.matcher(text).matches()) {
      String lower = text.toLowerCase(java.util.Locale.ROOT);
      return lower.endsWith("nan") ? Double.NaN : lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (!DECIMAL.matcher(text).matches()) {
      throw new NumberFormatException(text);
    }
    return Double.parseDouble(text.replace("_", ""));
  }
}
