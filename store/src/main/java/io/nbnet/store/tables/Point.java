package io.nbnet.store.tables;

/** One sample of a series: its time, and a number (NaN, ±Inf and the stale marker included) or a text. */
public record Point(long ts, double value, String text) {

  public static Point numeric(long ts, double value) {
    return new Point(ts, value, null);
  }

  public static Point text(long ts, String text) {
    return new Point(ts, 0, text);
  }

  public boolean isText() {
    return text != null;
  }

  public boolean sameValueAs(Point other) {
    // the stale marker is a NaN of its own bits: compared by bits, it differs from NaN
    return isText() ? text.equals(other.text)
      : !other.isText() && (Double.compare(value, other.value) == 0 && !Double.isNaN(value)
      || Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(other.value));
  }
}
