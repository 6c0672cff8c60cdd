package io.nbnet.formats;

/**
 * One measurement: a numeric {@code value}, or a {@code text} value when text is not null.
 *
 * @param host            the host measured
 * @param timestampMillis sample time, epoch milliseconds
 * @param metric          dotted metric name, e.g. {@code cpu.user}
 * @param tags            canonical tags ({@link Tags}), empty when none
 */
public record Sample(String host, long timestampMillis, String metric, String tags, double value, String text) {

  public static Sample numeric(String host, long timestampMillis, String metric, String tags, double value) {
    return new Sample(host, timestampMillis, metric, tags, value, null);
  }

  public static Sample text(String host, long timestampMillis, String metric, String tags, String text) {
    return new Sample(host, timestampMillis, metric, tags, 0, text);
  }

  public boolean isText() {
    return text != null;
  }

  /** The part of the metric name before the first dot: {@code cpu} for {@code cpu.user}. */
  public String family() {
    int dot = metric.indexOf('.');
    return dot < 0 ? metric : metric.substring(0, dot);
  }
}
