package io.nbnet.promql;

import java.math.BigDecimal;

/** Prometheus's special values and its way of writing numbers. */
public final class Values {

  /** The stale marker: a NaN with a payload of its own, which no arithmetic produces. */
  public static final long STALE_NAN_BITS = 0x7ff0000000000002L;
  public static final double STALE_NAN = Double.longBitsToDouble(STALE_NAN_BITS);

  private Values() {
  }

  public static boolean isStale(double value) {
    return Double.doubleToRawLongBits(value) == STALE_NAN_BITS;
  }

  /**
   * Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: the shortest decimal that reads back as {@code v},
   * without an exponent ({@code count_values} labels, the API's values).
   */
  public static String formatPlain(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == 0) {
      return (Double.doubleToRawLongBits(value) < 0) ? "-0" : "0";
    }
    return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
  }
}
