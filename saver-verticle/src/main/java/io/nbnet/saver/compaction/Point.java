package io.nbnet.saver.compaction;

/** One sample of a series: its time, and a number or a text. */
public record Point(long ts, double value, String text) {

  static Point numeric(long ts, double value) {
    return new Point(ts, value, null);
  }

  static Point text(long ts, String text) {
    return new Point(ts, 0, text);
  }

  public boolean isText() {
    return text != null;
  }

  boolean sameValueAs(Point other) {
    return isText() ? text.equals(other.text) : !other.isText() && Double.compare(value, other.value) == 0;
  }
}
