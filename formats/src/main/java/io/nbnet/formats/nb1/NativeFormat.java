package io.nbnet.formats.nb1;

import io.nbnet.formats.InvalidPayloadException;
import io.nbnet.formats.Sample;
import io.nbnet.formats.SampleLimits;
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
    LineReader reader = new LineReader(text);
    int lineNumber = 1;
    int start = lineEnd + 1;
    while (start < text.length()) {
      lineNumber++;
      int end = text.indexOf('\n', start);
      if (end < 0) {
        throw new InvalidPayloadException("native frame line " + lineNumber + ": no newline at the end");
      }
      samples.add(reader.sample(start, end, lineNumber));
      start = end + 1;
    }
    return new NativeBatch(source, sequence, samples);
  }

  /**
   * Reads sample lines in place, without cutting each line into field strings: the lines of a frame
   * nearly always share their host (and often their tags and timestamp), so those are reused from
   * the previous line when the characters match, and the timestamp is read digit by digit. A line
   * holding an escape takes the general path.
   */
  private static final class LineReader {
    private final String text;
    private String host;
    private String tags = "";
    private long timestamp = -1;
    private int timestampStart = -1;
    private int timestampEnd = -1;

    LineReader(String text) {
      this.text = text;
    }

    Sample sample(int start, int end, int lineNumber) {
      int t1 = text.indexOf('\t', start);
      int t2 = t1 < 0 || t1 >= end ? -1 : text.indexOf('\t', t1 + 1);
      int t3 = t2 < 0 || t2 >= end ? -1 : text.indexOf('\t', t2 + 1);
      int t4 = t3 < 0 || t3 >= end ? -1 : text.indexOf('\t', t3 + 1);
      int extra = t4 < 0 || t4 >= end ? -1 : text.indexOf('\t', t4 + 1);
      boolean fiveFields = t4 >= 0 && t4 < end && (extra < 0 || extra >= end);
      int backslash = text.indexOf('\\', start);
      if (!fiveFields || backslash >= 0 && backslash < end) {
        return parseSample(text.substring(start, end), lineNumber);
      }
      String lineHost = reuse(host, start, t1);
      if (lineHost == null) {
        lineHost = checkedField(text.substring(start, t1), 1, SampleLimits.MAX_HOST_CHARS, "host", lineNumber);
      }
      host = lineHost;
      long lineTimestamp = timestamp(t1 + 1, t2, lineNumber);
      String metric = checkedField(text.substring(t2 + 1, t3), 1, SampleLimits.MAX_METRIC_CHARS, "metric", lineNumber);
      String lineTags = reuse(tags, t3 + 1, t4);
      if (lineTags == null) {
        lineTags = checkedField(text.substring(t3 + 1, t4), 0, SampleLimits.MAX_TAGS_CHARS, "tags", lineNumber);
      }
      tags = lineTags;
      if (t4 + 1 < end && text.charAt(t4 + 1) == '"') {
        String value = checkedField(text.substring(t4 + 2, end), 0, SampleLimits.MAX_TEXT_CHARS, "text value", lineNumber);
        return Sample.text(lineHost, lineTimestamp, metric, lineTags, value);
      }
      return Sample.numeric(lineHost, lineTimestamp, metric, lineTags, number(text.substring(t4 + 1, end), lineNumber));
    }

    /** The previous value when the field's characters are the same, else null. */
    private String reuse(String previous, int from, int to) {
      return previous != null && previous.length() == to - from && text.regionMatches(from, previous, 0, to - from) ? previous : null;
    }

    private long timestamp(int from, int to, int lineNumber) {
      if (timestampStart >= 0 && to - from == timestampEnd - timestampStart
        && text.regionMatches(from, text, timestampStart, to - from)) {
        return timestamp;
      }
      long value = 0;
      if (from == to || to - from > 18) {
        throw new InvalidPayloadException("native frame line " + lineNumber + ": timestamp is not a non-negative integer: "
          + abbreviate(text.substring(from, to)));
      }
      for (int i = from; i < to; i++) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
          throw new InvalidPayloadException("native frame line " + lineNumber + ": timestamp is not a non-negative integer: "
            + abbreviate(text.substring(from, to)));
        }
        value = value * 10 + (c - '0');
      }
      timestamp = value;
      timestampStart = from;
      timestampEnd = to;
      return value;
    }
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
    return Sample.numeric(host, timestamp, metric, tags, number(value, lineNumber));
  }

  private static double number(String value, int lineNumber) {
    double number;
    try {
      number = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new InvalidPayloadException("native frame line " + lineNumber + ": value is not a number: " + abbreviate(value));
    }
    if (!Double.isFinite(number) || !isPlainNumber(value)) {
      throw new InvalidPayloadException("native frame line " + lineNumber + ": value must be a finite decimal number: " + abbreviate(value));
    }
    return number;
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
