package io.nbnet.store.head;

import io.nbnet.formats.SpecialValues;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XorChunkTest {

  @Test
  @DisplayName("every double and every spacing of times comes back bit for bit")
  void roundTrip() {
    Random random = new Random(7);
    double[] special = {Double.NaN, SpecialValues.STALE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE,
      Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300};
    for (int round = 0; round < 2_000; round++) {
      int n = 1 + random.nextInt(200);
      long[] times = new long[n];
      double[] values = new double[n];
      long ts = random.nextLong() >> 2;
      for (int i = 0; i < n; i++) {
        // steady, jittered, jumps of each bucket and beyond
        ts += switch (random.nextInt(6)) {
          case 0 -> 10_000;
          case 1 -> 10_000 + random.nextInt(200) - 100;
          case 2 -> 1 + random.nextInt(8_000);
          case 3 -> 1 + random.nextInt(600_000);
          case 4 -> 1 + (random.nextLong() >>> 20);
          default -> 1;
        };
        times[i] = ts;
        values[i] = switch (random.nextInt(5)) {
          case 0 -> special[random.nextInt(special.length)];
          case 1 -> i > 0 ? values[i - 1] : 1;
          case 2 -> Math.round(random.nextDouble() * 10_000) / 100.0;
          case 3 -> Double.longBitsToDouble(random.nextLong());
          default -> i * 1024.0;
        };
      }
      XorChunk chunk = XorChunk.of(times, values, 0, n);
      chunk.trim();
      long[] readTimes = new long[n];
      double[] readValues = new double[n];
      chunk.decode(readTimes, readValues);
      for (int i = 0; i < n; i++) {
        assertEquals(times[i], readTimes[i], "time " + i + " of round " + round);
        assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(readValues[i]), "value " + i + " of round " + round);
      }
      assertEquals(times[0], chunk.minTs());
      assertEquals(times[n - 1], chunk.maxTs());
    }
  }

  @Test
  @DisplayName("a collector's series, every 10 s, costs a few bytes a sample; a sample not after the newest is refused")
  void compact() {
    XorChunk chunk = new XorChunk();
    long ts = 1_765_000_000_000L;
    double counter = 1e9;
    for (int i = 0; i < XorChunk.MAX_SAMPLES; i++) {
      counter += 1000 + (i % 7) * 13;
      chunk.append(ts + i * 10_000L, counter);
    }
    chunk.trim();
    assertTrue(chunk.bytes() - 80 < 4 * XorChunk.MAX_SAMPLES, chunk.bytes() + " bytes");
    assertThrows(IllegalArgumentException.class, () -> chunk.append(ts, 1));
  }
}
