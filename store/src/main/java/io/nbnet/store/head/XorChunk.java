package io.nbnet.store.head;

import java.util.Arrays;

/**
 * Samples of one series in time order, compressed as Prometheus's XOR chunks are (Gorilla's encoding):
 * a time as the change of its distance from the one before (0 for a steady interval: one bit), a value
 * as its XOR with the one before (0 for an unchanged one: one bit), within the window of meaningful
 * bits the previous value used when it fits. Exact for every double, NaN and stale markers included.
 * Samples are appended in time order; {@link #of} builds a chunk from sorted arrays. Not thread-safe.
 */
public final class XorChunk {

  /** Samples after which a series starts a new chunk: reads decode whole chunks. */
  public static final int MAX_SAMPLES = 120;
  private static final int NO_WINDOW = -1;

  private byte[] bits = new byte[16];
  private int bitLength;
  private int count;
  private long minTs;
  private long maxTs;
  private long lastDelta;
  private long lastValueBits;
  private int leading = NO_WINDOW;
  private int trailing;

  /** A chunk of {@code times[from..to)} and their values, sorted by time with no time twice. */
  public static XorChunk of(long[] times, double[] values, int from, int to) {
    XorChunk chunk = new XorChunk();
    for (int i = from; i < to; i++) {
      chunk.append(times[i], values[i]);
    }
    return chunk;
  }

  public int count() {
    return count;
  }

  public long minTs() {
    return minTs;
  }

  public long maxTs() {
    return maxTs;
  }

  public boolean isFull() {
    return count >= MAX_SAMPLES;
  }

  /** The chunk's memory: the object, its array's header and the array. */
  public long bytes() {
    return 64 + 16 + bits.length;
  }

  /** Frees the array's unused end (once the chunk takes no more samples); returns the bytes freed. */
  public long trim() {
    int used = (bitLength + 7) >>> 3;
    int freed = bits.length - used;
    if (freed > 0) {
      bits = Arrays.copyOf(bits, used);
    }
    return freed;
  }

  /** Appends a sample newer than every one held. */
  public void append(long ts, double value) {
    long valueBits = Double.doubleToRawLongBits(value);
    if (count == 0) {
      minTs = ts;
      writeBits(ts, 64);
      writeBits(valueBits, 64);
    } else {
      if (ts <= maxTs) {
        throw new IllegalArgumentException("sample at " + ts + " not after " + maxTs);
      }
      long delta = ts - maxTs;
      writeTimeChange(delta - lastDelta);
      lastDelta = delta;
      writeValue(valueBits ^ lastValueBits);
    }
    maxTs = ts;
    lastValueBits = valueBits;
    count++;
  }

  private void writeTimeChange(long dod) {
    if (dod == 0) {
      writeBits(0, 1);
    } else if (dod >= -8191 && dod <= 8192) {
      writeBits(0b10, 2);
      writeBits(dod, 14);
    } else if (dod >= -65535 && dod <= 65536) {
      writeBits(0b110, 3);
      writeBits(dod, 17);
    } else if (dod >= -524287 && dod <= 524288) {
      writeBits(0b1110, 4);
      writeBits(dod, 20);
    } else {
      writeBits(0b1111, 4);
      writeBits(dod, 64);
    }
  }

  private void writeValue(long xor) {
    if (xor == 0) {
      writeBits(0, 1);
      return;
    }
    writeBits(1, 1);
    int newLeading = Math.min(31, Long.numberOfLeadingZeros(xor));
    int newTrailing = Long.numberOfTrailingZeros(xor);
    if (leading != NO_WINDOW && newLeading >= leading && newTrailing >= trailing) {
      writeBits(0, 1);
      writeBits(xor >>> trailing, 64 - leading - trailing);
      return;
    }
    leading = newLeading;
    trailing = newTrailing;
    int significant = 64 - leading - trailing;
    writeBits(1, 1);
    writeBits(leading, 5);
    // 64 significant bits do not fit in 6: written as 0, which is never a count of its own
    writeBits(significant == 64 ? 0 : significant, 6);
    writeBits(xor >>> trailing, significant);
  }

  /** Writes the low {@code n} bits of {@code value}, the highest first. */
  private void writeBits(long value, int n) {
    int needed = (bitLength + n + 7) >>> 3;
    if (needed > bits.length) {
      bits = Arrays.copyOf(bits, Math.max(needed, bits.length + (bits.length >> 1)));
    }
    while (n > 0) {
      int free = 8 - (bitLength & 7);
      int take = Math.min(free, n);
      int part = (int) ((value >>> (n - take)) & ((1 << take) - 1));
      bits[bitLength >>> 3] |= (byte) (part << (free - take));
      bitLength += take;
      n -= take;
    }
  }

  /** What reads a chunk receives, sample by sample in time order. */
  public interface Samples {
    void sample(long ts, double value);
  }

  /** Hands {@code out} every sample, in time order. */
  public void forEach(Samples out) {
    new Reader().forEach(out);
  }

  /** Decodes every sample into the arrays (at least {@link #count} long). */
  public void decode(long[] times, double[] values) {
    int[] at = {0};
    forEach((ts, value) -> {
      times[at[0]] = ts;
      values[at[0]++] = value;
    });
  }

  /** One pass over the chunk's bits. */
  private final class Reader {
    private int position;

    void forEach(Samples out) {
      if (count == 0) {
        return;
      }
      long ts = readBits(64);
      long valueBits = readBits(64);
      out.sample(ts, Double.longBitsToDouble(valueBits));
      long delta = 0;
      int lead = NO_WINDOW;
      int trail = 0;
      for (int i = 1; i < count; i++) {
        delta += readTimeChange();
        ts += delta;
        if (readBits(1) == 1) {
          if (readBits(1) == 1) {
            lead = (int) readBits(5);
            int significant = (int) readBits(6);
            if (significant == 0) {
              significant = 64;
            }
            trail = 64 - lead - significant;
          }
          valueBits ^= readBits(64 - lead - trail) << trail;
        }
        out.sample(ts, Double.longBitsToDouble(valueBits));
      }
    }

    private long readTimeChange() {
      if (readBits(1) == 0) {
        return 0;
      }
      if (readBits(1) == 0) {
        return signed(readBits(14), 14);
      }
      if (readBits(1) == 0) {
        return signed(readBits(17), 17);
      }
      if (readBits(1) == 0) {
        return signed(readBits(20), 20);
      }
      return readBits(64);
    }

    private long signed(long value, int n) {
      return value > (1L << (n - 1)) ? value - (1L << n) : value;
    }

    private long readBits(int n) {
      long value = 0;
      while (n > 0) {
        int available = 8 - (position & 7);
        int take = Math.min(available, n);
        int part = ((bits[position >>> 3] & 0xff) >>> (available - take)) & ((1 << take) - 1);
        value = (value << take) | part;
        position += take;
        n -= take;
      }
      return value;
    }
  }
}
