package io.nbnet.formats;

/** The sizes the sample tables can hold; the decoder rejects anything larger instead of truncating it. */
public final class SampleLimits {

  public static final int MAX_HOST_CHARS = 255;
  public static final int MAX_METRIC_CHARS = 128;
  /** Room for the labels of a Kubernetes series (the series table keys them by their hash). */
  public static final int MAX_TAGS_CHARS = 2048;
  public static final int MAX_TEXT_CHARS = 1024;

  /** The characters a text value may have: one fewer when it starts with NUL, which the store doubles to tell it from a number. */
  public static int maxTextChars(String text) {
    return !text.isEmpty() && text.charAt(0) == '\0' ? MAX_TEXT_CHARS - 1 : MAX_TEXT_CHARS;
  }
  public static final int MAX_SOURCE_CHARS = 128;
  /** The last millisecond of the year 9999: later "timestamps" are mistakes, not samples. */
  public static final long MAX_TIMESTAMP_MILLIS = 253_402_300_799_999L;

  private SampleLimits() {
  }
}
