package io.nbnet.store.tables;

import io.nbnet.formats.SpecialValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The raw tier's encoding. A host's samples of one window share their times (a collector samples
 * every series at once), so the times are written once per host and window, {@code [ms after the
 * window start, ...]} in ascending order, and each series' block holds only values, aligned with
 * those times: a number, {@code null} where the series has no sample at that time,
 * {@code {"t": "text"}} for a text sample, or {@code {"v": "NaN"}} ({@code +Inf}, {@code -Inf},
 * {@code stale}) for a value JSON has no number for. Blocks are compressed the way MySQL's {@code COMPRESS()}
 * does (the length, 4 bytes low first, then a zlib stream), so plain SQL reads them back with
 * {@code UNCOMPRESS()} and {@code JSON_TABLE}. Numbers keep every digit (the shortest text that reads
 * back as the same double).
 */
public final class BlockCodec {

  private BlockCodec() {
  }

  /** The times of a host's window as stored: milliseconds after the window's start, ascending. */
  public static String encodeTimes(long windowStart, long[] times) {
    StringBuilder json = new StringBuilder(times.length * 7 + 2).append('[');
    for (int i = 0; i < times.length; i++) {
      json.append(i > 0 ? "," : "").append(times[i] - windowStart);
    }
    return json.append(']').toString();
  }

  public static long[] decodeTimes(long windowStart, String json) {
    JsonArray array = new JsonArray(json);
    long[] times = new long[array.size()];
    for (int i = 0; i < times.length; i++) {
      times[i] = windowStart + array.getLong(i);
    }
    return times;
  }

  /** A series' block: {@code points} (ascending, each at one of {@code times}) aligned with the times. */
  public static byte[] encode(long[] times, List<Point> points) {
    StringBuilder json = new StringBuilder(times.length * 12 + 2).append('[');
    int next = 0;
    for (int i = 0; i < times.length; i++) {
      if (i > 0) {
        json.append(',');
      }
      if (next < points.size() && points.get(next).ts() == times[i]) {
        Point point = points.get(next++);
        if (point.isText()) {
          appendString(json.append("{\"t\":"), point.text()).append('}');
        } else {
          appendNumber(json, point.value());
        }
      } else {
        json.append("null");
      }
    }
    if (next != points.size()) {
      throw new IllegalArgumentException("a point's time is not among the window's times");
    }
    return compress(json.append(']').toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A block of numbers, one at each of the window's times, for tools that write blocks directly (benchmarks, migration). */
  public static byte[] encodeNumbers(double[] values) {
    StringBuilder json = new StringBuilder(values.length * 12 + 2).append('[');
    for (int i = 0; i < values.length; i++) {
      appendNumber(json.append(i > 0 ? "," : ""), values[i]);
    }
    return compress(json.append(']').toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The points of a block, given the times it is aligned with. */
  public static List<Point> decode(long[] times, byte[] block) {
    JsonArray array = new JsonArray(new String(uncompress(block), StandardCharsets.UTF_8));
    if (array.size() != times.length) {
      throw new IllegalStateException("damaged raw block: " + array.size() + " values for " + times.length + " times");
    }
    List<Point> points = new ArrayList<>(array.size());
    for (int i = 0; i < times.length; i++) {
      Object value = array.getValue(i);
      if (value instanceof Number number) {
        points.add(Point.numeric(times[i], number.doubleValue()));
      } else if (value instanceof JsonObject object && object.containsKey("v")) {
        Double special = SpecialValues.of(object.getString("v"));
        if (special == null) {
          throw new IllegalStateException("damaged raw block: a value " + object.encode());
        }
        points.add(Point.numeric(times[i], special));
      } else if (value instanceof JsonObject text) {
        points.add(Point.text(times[i], text.getString("t")));
      }
    }
    return points;
  }

  static void appendNumber(StringBuilder json, double value) {
    String special = SpecialValues.name(value);
    if (special != null) {
      json.append("{\"v\":\"").append(special).append("\"}");
    } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      json.append((long) value);
    } else {
      json.append(value);
    }
  }

  private static StringBuilder appendString(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"');
  }

  private static byte[] compress(byte[] data) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    try {
      deflater.setInput(data);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 3 + 16);
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(data.length).array());
      byte[] chunk = new byte[Math.max(64, data.length / 2)];
      while (!deflater.finished()) {
        out.write(chunk, 0, deflater.deflate(chunk));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static byte[] uncompress(byte[] block) {
    int length = ByteBuffer.wrap(block, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0x3FFFFFFF;
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(block, 4, block.length - 4);
      byte[] data = new byte[length];
      int read = 0;
      while (read < length && !inflater.finished()) {
        int n = inflater.inflate(data, read, length - read);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        read += n;
      }
      if (read != length) {
        throw new IllegalStateException("damaged raw block: " + read + " of " + length + " bytes");
      }
      return data;
    } catch (DataFormatException e) {
      throw new IllegalStateException("damaged raw block: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }
}
