package io.nbnet.promql.parser;

import io.nbnet.promql.PromqlException;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/** Prometheus's durations ({@code 1h30m}, {@code 5m}, {@code 250ms}) and Go's way of printing floats. */
public final class Durations {

  private static final Pattern DURATION =
    Pattern.compile("^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$");
  private static final long[] UNIT_MILLIS = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000, 1};
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};

  private Durations() {
  }

  /** Milliseconds of a duration as Prometheus writes them; refused with a message otherwise. */
  public static long parse(String text) {
    java.util.regex.Matcher match = DURATION.matcher(text);
    if (text.isEmpty() || !match.matches()) {
      throw new PromqlException(PromqlException.Kind.BAD_DATA, "not a valid duration string: " + io.nbnet.promql.Strings.quote(text));
    }
    long millis = 0;
    for (int unit = 0; unit < UNITS.length; unit++) {
      String number = match.group(2 + 2 * unit);
      if (number != null) {
        try {
          millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(number), UNIT_MILLIS[unit]));
        } catch (ArithmeticException | NumberFormatException e) {
          throw new PromqlException(PromqlException.Kind.BAD_DATA, "duration out of range: " + text);
        }
      }
    }
    return millis;
  }

  /** A duration in Prometheus's form ({@code model.Duration.String()}): {@code 1h30m}, {@code 0s}. */
  public static String format(long millis) {
    if (millis == 0) {
      return "0s";
    }
    StringBuilder text = new StringBuilder();
    long left = millis;
    for (int unit = 0; unit < UNITS.length; unit++) {
      long count = left / UNIT_MILLIS[unit];
      if (count > 0) {
        text.append(count).append(UNITS[unit]);
        left -= count * UNIT_MILLIS[unit];
      }
    }
    return text.toString();
  }

  /** A float as Go's {@code fmt.Sprint} prints it: shortest form, exponent past 21 digits. */
  public static String goFloat(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == 0) {
      return Double.doubleToRawLongBits(value) < 0 ? "-0" : "0";
    }
    BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
    int exponent = decimal.precision() - decimal.scale() - 1;
    if (exponent < -4 || exponent >= 21) {
      String digits = decimal.unscaledValue().abs().toString();
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return (value < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
    return decimal.toPlainString();
  }
}
