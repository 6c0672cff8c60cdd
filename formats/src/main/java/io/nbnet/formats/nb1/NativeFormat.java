package io.nbnet.formats.nb1;

import io.nbnet.formats.InvalidPayloadException;
import io.nbnet.formats.Sample;
import io.nbnet.formats.SampleLimits;
import io.nbnet.formats.SpecialValues;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The native payload: many samples per frame, UTF-8 text, one record per line, fields separated by tabs.
 * <pre>
 * NB1 &lt;TAB&gt; source &lt;TAB&gt; sequence
 * host &lt;TAB&gt; timestamp-ms &lt;TAB&gt; metric &lt;TAB&gt; tags &lt;TAB&gt; value
 * ...
 * </pre>
 * A value is a decimal number, one of {@code NaN}, {@code +Inf}, {@code -Inf} and {@code stale}
 * (Prometheus's stale marker), or a text value marked by a leading {@code "}. In every field a
 * backslash, tab, newline or carriage return is written {@code \\}, {@code \t}, {@code \n}, {@code \r}.
 * See docs/native-format.md. Decoding is linear in the payload's size: every line is scanned once.
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
    Text text = Text.of(payload);
    Header header = Header.read(text.chars());
    List<Sample> samples = new ArrayList<>();
    LineReader reader = new LineReader(text);
    int lineNumber = 1;
    int start = header.end();
    while (start < text.length()) {
      lineNumber++;
      samples.add(reader.sample(start, lineNumber));
      start = reader.nextLineStart();
    }
    return new NativeBatch(header.source(), header.sequence(), samples);
  }

  /**
   * The payload's lines by host, each host's as a native payload of its own (the same header, its
   * lines in their order), in the order the hosts first appear; a payload of one host is its own only
   * part. Every line is checked as {@link #decode} checks it, without building its sample.
   *
   * @throws InvalidPayloadException naming the line and the problem
   */
  public static Map<String, Buffer> partsByHost(Buffer payload) {
    Text text = Text.of(payload);
    Header header = Header.read(text.chars());
    LineReader reader = new LineReader(text);
    List<String> hosts = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    boolean severalHosts = false;
    int lineNumber = 1;
    int start = header.end();
    while (start < text.length()) {
      lineNumber++;
      String host = reader.check(start, lineNumber);
      severalHosts |= !hosts.isEmpty() && !host.equals(hosts.get(0));
      hosts.add(host);
      starts.add(start);
      start = reader.nextLineStart();
    }
    if (!severalHosts) {
      return hosts.isEmpty() ? Map.of() : Map.of(hosts.get(0), payload);
    }
    Map<String, Buffer> parts = new LinkedHashMap<>();
    for (int line = 0; line < hosts.size(); line++) {
      int from = starts.get(line);
      int to = line + 1 < starts.size() ? starts.get(line + 1) : text.length();
      Buffer part = parts.computeIfAbsent(hosts.get(line), host -> slice(payload, text, 0, header.end()));
      part.appendBuffer(slice(payload, text, from, to));
    }
    return parts;
  }

  /** Characters {@code [from, to)} of the payload as bytes: character offsets are byte offsets only in ASCII text. */
  private static Buffer slice(Buffer payload, Text text, int from, int to) {
    return text.ascii() ? payload.getBuffer(from, to) : Buffer.buffer(text.chars().substring(from, to).getBytes(StandardCharsets.UTF_8));
  }

  /** The first line: {@code NB1 <TAB> source <TAB> sequence}; {@code end} is where the sample lines start. */
  private record Header(String source, long sequence, int end) {

    static Header read(String text) {
      int lineEnd = text.indexOf('\n');
      if (lineEnd < 0) {
        throw new InvalidPayloadException("native frame: header line has no newline");
      }
      String[] fields = text.substring(0, lineEnd).split("\t", -1);
      if (fields.length != 3 || !MAGIC.equals(fields[0])) {
        throw new InvalidPayloadException("native frame: header must be NB1<TAB>source<TAB>sequence");
      }
      String source = unescape(fields[1], 1);
      if (source.isEmpty() || source.length() > SampleLimits.MAX_SOURCE_CHARS) {
        throw new InvalidPayloadException("native frame line 1: source must have 1.." + SampleLimits.MAX_SOURCE_CHARS + " characters");
      }
      return new Header(source, FieldRules.sequence(fields[2], 0, fields[2].length(), 1), lineEnd + 1);
    }
  }

  /**
   * The payload as text, and the bytes lines are scanned in: the payload's own when it is ASCII (nearly
   * every frame), else one byte per character with every non-ASCII character as 0x80 (the scan looks
   * only for ASCII separators).
   *
   * @param ascii true when the payload is ASCII: then its bytes hold its characters, and fields compare as bytes
   */
  private record Text(String chars, byte[] scan, boolean ascii) {

    /** Bytes that are not UTF-8 are refused: replacing them would merge different names. */
    static Text of(Buffer payload) {
      byte[] raw = payload.getBytes();
      // the JDK decodes ASCII fast; anything else is either shorter as text or holds a replacement character
      String lenient = new String(raw, StandardCharsets.UTF_8);
      if (lenient.length() == raw.length && lenient.indexOf('\uFFFD') < 0) {
        return new Text(lenient, raw, true);
      }
      String strict = strictUtf8(raw);
      byte[] scan = new byte[strict.length()];
      for (int i = 0; i < scan.length; i++) {
        char c = strict.charAt(i);
        scan[i] = c < 0x80 ? (byte) c : (byte) 0x80;
      }
      return new Text(strict, scan, false);
    }

    int length() {
      return scan.length;
    }

    /** Whether {@code [a, a + length)} and {@code [b, b + length)} hold the same characters. */
    boolean same(int a, int b, int length) {
      return ascii ? Arrays.equals(scan, a, a + length, scan, b, b + length) : chars.regionMatches(a, chars, b, length);
    }
  }

  private static String strictUtf8(byte[] raw) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer bytes = ByteBuffer.wrap(raw);
    try {
      return decoder.decode(bytes.duplicate()).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidPayloadException("native frame line " + lineOfFirstBadByte(bytes) + ": not valid UTF-8");
    }
  }

  private static int lineOfFirstBadByte(ByteBuffer bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer input = bytes.duplicate();
    CharBuffer output = CharBuffer.allocate(Math.max(16, input.remaining()));
    decoder.decode(input, output, true);
    int bad = input.position();
    int line = 1;
    for (int i = bytes.position(); i < bad; i++) {
      if (bytes.get(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /**
   * Reads sample lines in place: one scan of each line finds its tabs and any backslash; fields are
   * then cut once. The lines of a frame nearly always share their host (and often their tags and
   * timestamp), so those are reused from the previous line when the characters match. A line
   * holding an escape takes the general path, which unescapes each field.
   */
  private static final class LineReader {
    private final String text;
    private final Text source;
    private final byte[] scan;
    private final int[] tabs = new int[4];
    private boolean escaped;
    private String host;
    private int hostStart = -1;
    private String tags = "";
    private int tagsStart = -1;
    private long timestamp = -1;
    private int timestampStart = -1;
    private int timestampLength;
    private int next;

    LineReader(Text source) {
      this.source = source;
      this.text = source.chars();
      this.scan = source.scan();
    }

    int nextLineStart() {
      return next;
    }

    Sample sample(int start, int lineNumber) {
      int end = fields(start, lineNumber);
      if (escaped) {
        return parseEscaped(text.substring(start, end), lineNumber);
      }
      int t1 = tabs[0];
      int t2 = tabs[1];
      int t3 = tabs[2];
      int t4 = tabs[3];
      String lineHost = host(start, t1, lineNumber);
      long lineTimestamp = timestamp(t1 + 1, t2, lineNumber);
      String metric = FieldRules.metric(text.substring(t2 + 1, t3), lineNumber);
      String lineTags = tags(t3 + 1, t4, lineNumber);
      if (t4 + 1 < end && scan[t4 + 1] == '"') {
        return FieldRules.sample(lineHost, lineTimestamp, metric, lineTags, text.substring(t4 + 1, end), lineNumber);
      }
      return Sample.numeric(lineHost, lineTimestamp, metric, lineTags, FieldRules.number(text, t4 + 1, end, lineNumber));
    }

    /** The line checked as {@link #sample} checks it, without building the sample: its host. */
    String check(int start, int lineNumber) {
      int end = fields(start, lineNumber);
      if (escaped) {
        return parseEscaped(text.substring(start, end), lineNumber).host();
      }
      String lineHost = host(start, tabs[0], lineNumber);
      timestamp(tabs[0] + 1, tabs[1], lineNumber);
      FieldRules.length(tabs[2] - tabs[1] - 1, 1, SampleLimits.MAX_METRIC_CHARS, "metric", lineNumber);
      FieldRules.length(tabs[3] - tabs[2] - 1, 0, SampleLimits.MAX_TAGS_CHARS, "tags", lineNumber);
      if (tabs[3] + 1 < end && scan[tabs[3] + 1] == '"') {
        boolean startsWithNul = tabs[3] + 2 < end && scan[tabs[3] + 2] == '\0';
        FieldRules.length(end - tabs[3] - 2, 0, startsWithNul ? SampleLimits.MAX_TEXT_CHARS - 1 : SampleLimits.MAX_TEXT_CHARS, "text value",
          lineNumber);
      } else {
        FieldRules.checkNumber(text, tabs[3] + 1, end, lineNumber);
      }
      return lineHost;
    }

    /** Finds the line's four tabs (and whether it holds an escape) in one scan; returns where it ends. */
    private int fields(int start, int lineNumber) {
      int tabCount = 0;
      escaped = false;
      int end = start;
      for (; end < scan.length; end++) {
        byte c = scan[end];
        if (c == '\n') {
          break;
        }
        if (c == '\t') {
          if (tabCount < tabs.length) {
            tabs[tabCount] = end;
          }
          tabCount++;
        } else if (c == '\\') {
          escaped = true;
        }
      }
      if (end == scan.length) {
        throw new InvalidPayloadException("native frame line " + lineNumber + ": no newline at the end");
      }
      next = end + 1;
      if (tabCount != 4) {
        throw new InvalidPayloadException("native frame line " + lineNumber + ": expected 5 tab-separated fields, got " + (tabCount + 1));
      }
      return end;
    }

    /** The line's host: the previous line's when the characters are the same. */
    private String host(int from, int to, int lineNumber) {
      if (host == null || host.length() != to - from || !source.same(from, hostStart, to - from)) {
        host = FieldRules.host(text.substring(from, to), lineNumber);
      }
      hostStart = from;
      return host;
    }

    /** The line's tags: the previous line's when the characters are the same. */
    private String tags(int from, int to, int lineNumber) {
      if (tagsStart < 0 || tags.length() != to - from || !source.same(from, tagsStart, to - from)) {
        tags = FieldRules.tags(text.substring(from, to), lineNumber);
      }
      tagsStart = from;
      return tags;
    }

    private long timestamp(int from, int to, int lineNumber) {
      if (timestampStart < 0 || to - from != timestampLength || !source.same(from, timestampStart, to - from)) {
        timestamp = FieldRules.timestamp(text, from, to, lineNumber);
        timestampLength = to - from;
      }
      timestampStart = from;
      return timestamp;
    }
  }

  private static Sample parseEscaped(String line, int lineNumber) {
    String[] fields = line.split("\t", -1);
    String host = FieldRules.host(unescape(fields[0], lineNumber), lineNumber);
    long timestamp = FieldRules.timestamp(fields[1], 0, fields[1].length(), lineNumber);
    String metric = FieldRules.metric(unescape(fields[2], lineNumber), lineNumber);
    String tags = FieldRules.tags(unescape(fields[3], lineNumber), lineNumber);
    String value = fields[4].startsWith("\"") ? "\"" + unescape(fields[4].substring(1), lineNumber) : fields[4];
    return FieldRules.sample(host, timestamp, metric, tags, value, lineNumber);
  }

  private static void appendNumber(StringBuilder text, double value) {
    String special = SpecialValues.name(value);
    if (special != null) {
      text.append(special);
    } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
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
}
