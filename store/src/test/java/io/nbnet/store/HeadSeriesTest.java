package io.nbnet.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HeadSeriesTest {

  @Test
  @DisplayName("samples in any order, some twice: read back in time order, the first value of each time kept, the bytes counted as they grow and go")
  void anyOrder() {
    Random random = new Random(11);
    SeriesRef ref = new SeriesRef(1, 2, "h", "m", "");
    for (int round = 0; round < 200; round++) {
      HeadSeries series = new HeadSeries(ref);
      long bytes = series.bytes();
      TreeMap<Long, Double> expected = new TreeMap<>();
      List<Long> times = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        times.add(1_000_000L + i * 10_000L);
      }
      // mostly in order, some late, some twice
      for (int i = 0; i < times.size(); i++) {
        if (random.nextInt(10) == 0) {
          Collections.swap(times, i, Math.max(0, i - random.nextInt(150)));
        }
      }
      for (int i = 0; i < 40; i++) {
        times.add(times.get(random.nextInt(times.size())));
      }
      for (long ts : times) {
        double value = random.nextDouble();
        expected.putIfAbsent(ts, value);
        bytes += series.add(ts, value);
      }
      assertEquals(series.bytes(), bytes, "bytes counted");
      assertEquals(expected.size(), series.size());
      assertEquals(expected, read(series, Long.MIN_VALUE, Long.MAX_VALUE));
      assertEquals(expected.subMap(1_500_000L, 2_500_000L), read(series, 1_500_000, 2_500_000));
      bytes -= series.dropBefore(2_000_000);
      assertEquals(series.bytes(), bytes, "bytes after a drop");
      assertEquals(expected.tailMap(2_000_000L), read(series, 2_000_000, Long.MAX_VALUE));
    }
  }

  private static TreeMap<Long, Double> read(HeadSeries series, long from, long to) {
    TreeMap<Long, Double> read = new TreeMap<>();
    series.read(from, to, (ts, value) -> {
      if (read.put(ts, value) != null) {
        throw new AssertionError("time twice: " + ts);
      }
    });
    return read;
  }
}
