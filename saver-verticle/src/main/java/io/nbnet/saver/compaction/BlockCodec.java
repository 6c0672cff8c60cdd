package io.nbnet.saver.compaction;

import io.vertx.core.json.JsonArray;

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
 * A raw block: the samples of one series in one window as JSON, {@code [[ms after the window start,
 * value], [ms, null, "text"], ...]}, compressed the way MySQL's {@code COMPRESS()} does (the length, 4
 * bytes low first, then a zlib stream), so plain SQL reads it back with {@code UNCOMPRESS()} and
 * {@code JSON_TABLE}. Numbers keep every digit (the shortest text that reads back as the same double).
 */
public final class BlockCodec {

  private BlockCodec() {
  }

  static byte[] encode(long windowStart, List<Point> points) {
    StringBuilder json = new StringBuilder(points.size() * 24);
    json.append('[');
    for (int i = 0; i < points.size(); i++) {
      Point point = points.get(i);
      if (i > 0) {
        json.append(',');
      }
      json.append('[').append(point.ts() - windowStart).append(',');
      if (point.isText()) {
        json.append("null,");
        appendString(json, point.text());
      } else {
        appendNumber(json, point.value());
      }
      json.append(']');
    }
    byte[] text = json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    return compress(text);
  }

  /** The block of numeric samples, for tools that write blocks directly (benchmarks, migration). */
  public static byte[] encodeNumbers(long windowStart, long[] ts, double[] values) {
    List<Point> points = new ArrayList<>(ts.length);
    for (int i = 0; i < ts.length; i++) {
      points.add(Point.numeric(ts[i], values[i]));
    }
    return encode(windowStart, points);
  }

  static List<Point> decode(long windowStart, byte[] block) {
    JsonArray array = new JsonArray(new String(uncompress(block), StandardCharsets.UTF_8));
    List<Point> points = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonArray point = array.getJsonArray(i);
      long ts = windowStart + point.getLong(0);
      points.add(point.size() > 2 ? Point.text(ts, point.getString(2)) : Point.numeric(ts, point.getDouble(1)));
    }
    return points;
  }

  private static void appendNumber(StringBuilder json, double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      json.append((long) value);
    } else {
      json.append(value);
    }
  }

  private static void appendString(StringBuilder json, String text) {
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
    json.append('"');
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
