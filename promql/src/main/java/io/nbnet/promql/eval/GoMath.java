package io.nbnet.promql.eval;

/** Where Go's {@code math} package answers otherwise than Java's. */
final class GoMath {

  private GoMath() {
  }

  /** Go's {@code math.Mod}: the remainder of a truncated division, with the sign of {@code x} (Java's {@code %} agrees). */
  static double mod(double x, double y) {
    return x % y;
  }

  /** Go's {@code math.Pow}: as Java's, except that 1^y is 1 for any y (NaN too) and (-1)^±Inf is 1. */
  static double pow(double x, double y) {
    if (x == 1 || x == -1 && Double.isInfinite(y)) {
      return 1;
    }
    return Math.pow(x, y);
  }
}
