package io.nbnet.saver.http;

import io.nbnet.promql.Engine;
import io.nbnet.promql.PromqlException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The Prometheus API's times (unix seconds with decimals, or RFC 3339) and durations ({@code 15}, {@code 0.5}, {@code 5m}). */
final class PromParams {

  /** Prometheus's own bounds for absent start and end. */
  static final long MIN_TIME_MILLIS = -9_223_372_036_854_775L / 4;
  static final long MAX_TIME_MILLIS = 9_223_372_036_854_775L / 4;

  private PromParams() {
  }

  /** Milliseconds since the epoch; {@code fallback} when absent. */
  static long time(String value, String name, long fallback) {
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      BigDecimal seconds = sane(new BigDecimal(value), value, name);
      BigDecimal millis = seconds.movePointRight(3).setScale(0, RoundingMode.HALF_EVEN);
      if (millis.compareTo(BigDecimal.valueOf(MAX_TIME_MILLIS)) > 0 || millis.compareTo(BigDecimal.valueOf(MIN_TIME_MILLIS)) < 0) {
        throw badTime(value, name);
      }
      return millis.longValueExact();
    } catch (NumberFormatException | ArithmeticException notANumber) {
      try {
        return OffsetDateTime.parse(value).toInstant().toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException notADate) {
        throw badTime(value, name);
      }
    }
  }

  /** Milliseconds of a duration given as seconds ({@code 15}, {@code 0.5}) or as Prometheus writes them ({@code 5m}). */
  static long duration(String value, String name) {
    try {
      BigDecimal seconds = sane(new BigDecimal(value), value, name);
      if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(9_223_372_036L)) > 0) {
        throw badDuration(value, name);
      }
      return seconds.movePointRight(3).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    } catch (NumberFormatException notANumber) {
      try {
        return Engine.parseDuration(value);
      } catch (PromqlException notADuration) {
        throw badDuration(value, name);
      }
    }
  }

  /**
   * A number of a sane size: {@code 1e-10000000} would take seconds of rescaling (and memory) before
   * any range check, so digits and exponents past any time or duration are refused first.
   */
  private static BigDecimal sane(BigDecimal number, String value, String name) {
    if (number.scale() > 30 || number.scale() < -30 || number.precision() - number.scale() > 30) {
      throw bad("invalid parameter \"" + name + "\": cannot parse \"" + shortened(value) + "\" to a valid time or duration");
    }
    return number;
  }

  private static String shortened(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "..." : value;
  }

  private static PromqlException badDuration(String value, String name) {
    return bad("invalid parameter \"" + name + "\": cannot parse \"" + shortened(value) + "\" to a valid duration");
  }

  private static PromqlException badTime(String value, String name) {
    return bad("invalid parameter \"" + name + "\": cannot parse \"" + shortened(value) + "\" to a valid timestamp");
  }

  static PromqlException bad(String message) {
    return new PromqlException(PromqlException.Kind.BAD_DATA, message);
  }
}
