package io.nbnet.formats;

/**
 * The values a sample may hold besides finite numbers, which Prometheus, OTLP and NB1 carry and MariaDB's
 * DOUBLE cannot: NaN, ±Inf and Prometheus's stale marker (a NaN of its own bits, which ends a series
 * where it stands). Written by their names: {@code NaN}, {@code +Inf}, {@code -Inf}, {@code stale}.
 */
public final class SpecialValues {

  /** Prometheus's stale marker: a NaN told apart from others by its bits. */
  public static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);

  private SpecialValues() {
  }

  public static boolean isStale(double value) {
    return Double.doubleToRawLongBits(value) == 0x7ff0000000000002L;
  }

  /** The name of a value that is not a finite number; null for a finite one. */
  public static String name(double value) {
    if (Double.isFinite(value)) {
      return null;
    }
    if (Double.isNaN(value)) {
      return isStale(value) ? "stale" : "NaN";
    }
    return value > 0 ? "+Inf" : "-Inf";
  }

  /** The value a name stands for; null when {@code text} names none. */
  public static Double of(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "stale" -> STALE;
      default -> null;
    };
  }
}
