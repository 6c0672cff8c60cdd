package io.nbnet.sample;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The native payload: many samples per frame, UTF-8 text, one record per line, fields separated by tabs.
 * <pre>
 * NB1 &lt;TAB&gt; source &lt;TAB&gt; sequence
 * host &lt;TAB&gt; timestamp-ms &lt;TAB&gt; metric &lt;TAB&gt; tags &lt;TAB&gt; value
 * ...
 * </pre>
 * A value is a decimal number, or a text value marked by a leading {@code "}. In every field a
 * backslash, tab, newline or carriage return is written {@code \\}, {@code \t}, {@code \n}, {@code \r}.
 * See docs/native-format.md.
 */
public final class NativeFormat {

  public static final String MAGIC = "NB1";

  private NativeFormat() {
  }

  /** True when the payload claims to be native (it may still be invalid). */
  public static boolean isNative(Buffer payload) {
    return payload.length() >= 3 && payload.getByte(0) == 'N' && payload.getByte(1) == 'B' && payload.getByte(2) == '1';
  }

  public static Buffer encode(String source, long sequence, List<Sample> samples) {
    StringBuilder text = new StringBuilder(64 + samples.size() * 64);
    text.append(MAGIC).append('\t');
    escape(text, source);
    text.append('\t').append(sequence).append('\n');
    for (Sample sample : samples) {
      escape(text, sample.host());
      text.append('\t').append(sample.timestampMillis()).append('\t');
      escape(text, sample.metric());
      text.append('\t');
      escape(text, sample.tags());
      text.append('\t');
      if (sample.isText()) {
        text.append('"');
        escape(text, sample.text());
      } else {
        appendNumber(text, sample.value());
      }
      text.append('\n');
    }
    return Buffer.buffer(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Parses and validates a whole native payload.
   *
   * @throws InvalidPayloadException naming the line and the problem
   */
  public static NativeBatch decode(Buffer payload) {
    String text = payload.toString(StandardCharsets.UTF_8);
    int lineEnd = text.indexOf('\n');
    if (lineEnd < 0) {
      throw new InvalidPayloadException("native frame: header line has no newline");
    }
    String[] header = text.substring(0, lineEnd).split("\t", -1);
    if (header.length != 3 || !MAGIC.equals(header[0])) {
      throw new InvalidPayloadException("native frame: header must be NB1<TAB>source<TAB>sequence");
    }
    String source = unescape(header[1], 1);
    if (source.isEmpty() || source.length() > SampleLimits.MAX_SOURCE_CHARS) {
      throw new InvalidPayloadException("native frame line 1: source must have 1.." + SampleLimits.MAX_SOURCE_CHARS + " characters");
    }
    long sequence = parseLong(header[2], 1, "sequence");
    List<Sample> samples = new ArrayList<>();
    int lineNumber = 1;
    int start = lineEnd + 1;
    while (start < text.length()) {
      lineNumber++;
      int end = text.indexOf('\n', start);
      if (end < 0) {
        throw new InvalidPayloadException("native frame line " + lineNumber + ": no newline at the end");
      }
      samples.add(parseSample(text.substring(start, end), lineNumber));
      start = end + 1;
    }
    return new NativeBatch(source, sequence, samples);
  }

  private static Sample parseSample(String line, int lineNumber) {
    String[] fields = line.split("\t", -1);
    if (fields.length != 5) {
      throw new InvalidPayloadException("native frame line " + lineNumber + ": expected 5 tab-separated fields, got " + fields.length);
    }
    String host = checkedField(unescape(fields[0], lineNumber), 1, SampleLimits.MAX_HOST_CHARS, "host", lineNumber);
    long timestamp = parseLong(fields[1], lineNumber, "timestamp");
    String metric = checkedField(unescape(fields[2], lineNumber), 1, SampleLimits.MAX_METRIC_CHARS, "metric", lineNumber);
    String tags = checkedField(unescape(fields[3], lineNumber), 0, SampleLimits.MAX_TAGS_CHARS, "tags", lineNumber);
    String value = fields[4];
    if (value.startsWith("\"")) {
      String textValue = checkedField(unescape(value.substring(1), lineNumber), 0, SampleLimits.MAX_TEXT_CHARS, "text value", lineNumber);
      return Sample.text(host, timestamp, metric, tags, textValue);
    }
    double number;
    try {
      number = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new InvalidPayloadException("native frame line " + lineNumber + ": value is not a number: " + abbreviate(value));
    }
    if (!Double.isFinite(number) || !isPlainNumber(value)) {
      throw new InvalidPayloadException("native frame line " + lineNumber + ": value must be a finite decimal number: " + abbreviate(value));
    }
    return Sample.numeric(host, timestamp, metric, tags, number);
  }

  private static boolean isPlainNumber(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
        return false;
      }
    }
    return true;
  }

  private static String checkedField(String value, int min, int max, String name, int lineNumber) {
    if (value.length() < min || value.length() > max) {
      throw new InvalidPayloadException("native frame line " + lineNumber + ": " + name + " must have " + min + ".." + max
        + " characters, has " + value.length());
    }
    return value;
  }

  private static long parseLong(String field, int lineNumber, String name) {
    try {
      long value = Long.parseLong(field);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new InvalidPayloadException("native frame line " + lineNumber + ": " + name + " is not a non-negative integer: " + abbreviate(field));
    }
  }

  private static void appendNumber(StringBuilder text, double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      text.append((long) value);
    } else {
      text.append(value);
    }
  }

  private static void escape(StringBuilder text, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> text.append("\\\\");
        case '\t' -> text.append("\\t");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        default -> text.append(c);
      }
    }
  }

  private static String unescape(String value, int lineNumber) {
    if (value.indexOf('\\') < 0) {
      return value;
    }
    StringBuilder text = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\\') {
        text.append(c);
        continue;
      }
      if (++i == value.length()) {
        throw new InvalidPayloadException("native frame line " + lineNumber + ": a backslash ends a field");
      }
      switch (value.charAt(i)) {
        case '\\' -> text.append('\\');
        case 't' -> text.append('\t');
        case 'n' -> text.append('\n');
        case 'r' -> text.append('\r');
        default -> throw new InvalidPayloadException("native frame line " + lineNumber + ": unknown escape \\" + value.charAt(i));
      }
    }
    return text.toString();
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
