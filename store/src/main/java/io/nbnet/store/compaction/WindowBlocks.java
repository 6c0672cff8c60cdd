package io.nbnet.store.compaction;

import io.nbnet.store.Rollup;
import io.nbnet.store.tables.BlockCodec;
import io.nbnet.store.tables.Point;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The blocks and 5-minute rollups of one host in one window: the samples that arrived, merged with
 * what is stored (a sample whose time is there already keeps the stored value; a different new value
 * counts as a conflict). When new times join the host's window, every stored block of it is aligned
 * with them again; otherwise only the series that got new samples are written. Pure computation, run
 * on the compaction worker.
 *
 * @param times     the window's new times to store, or empty when they did not change
 * @param blocks    the blocks to write
 * @param rollups   the 5-minute rollups of the series that got new numbers
 * @param added     the series that got new samples
 */
record WindowBlocks(Optional<long[]> times, List<Block> blocks, Map<Integer, Rollup> rollups, List<Integer> added, long conflicts) {

  /** One series' encoded block. */
  record Block(int series, int samples, byte[] points) {
  }

  /**
   * @param storedTimes  the times stored for the host's window (empty: none is stored yet)
   * @param times        the window's times from now on: {@code storedTimes} with every new sample's time
   *                     ({@link #union}); the blocks are aligned with them
   * @param storedBlocks the stored blocks of the host's window by series, aligned with {@code storedTimes}
   *                     (a slice of them is enough: the series of {@code fresh}, and when the times change, those to realign)
   * @param fresh        the samples that arrived, by series
   */
  static WindowBlocks build(long[] storedTimes, long[] times, Map<Integer, byte[]> storedBlocks, Map<Integer, List<Point>> fresh) {
    boolean timesChanged = times.length != storedTimes.length;
    List<Block> blocks = new ArrayList<>();
    Map<Integer, Rollup> rollups = new TreeMap<>();
    List<Integer> addedSeries = new ArrayList<>();
    long conflicts = 0;
    for (Map.Entry<Integer, List<Point>> series : new TreeMap<>(fresh).entrySet()) {
      TreeMap<Long, Point> merged = new TreeMap<>();
      byte[] stored = storedBlocks.get(series.getKey());
      if (stored != null) {
        BlockCodec.decode(storedTimes, stored).forEach(point -> merged.put(point.ts(), point));
      }
      boolean added = false;
      for (Point point : series.getValue()) {
        Point kept = merged.putIfAbsent(point.ts(), point);
        if (kept == null) {
          added = true;
        } else if (!kept.sameValueAs(point)) {
          conflicts++;
        }
      }
      if (!added && !timesChanged) {
        continue; // a replay of what the block holds already
      }
      List<Point> points = new ArrayList<>(merged.values());
      blocks.add(new Block(series.getKey(), points.size(), BlockCodec.encode(times, points)));
      if (added) {
        addedSeries.add(series.getKey());
        Rollup.of(points).ifPresent(rollup -> rollups.put(series.getKey(), rollup));
      }
    }
    if (timesChanged) {
      // the host's other series keep their samples, aligned with the new times
      for (Map.Entry<Integer, byte[]> stored : new TreeMap<>(storedBlocks).entrySet()) {
        if (!fresh.containsKey(stored.getKey())) {
          List<Point> points = BlockCodec.decode(storedTimes, stored.getValue());
          blocks.add(new Block(stored.getKey(), points.size(), BlockCodec.encode(times, points)));
        }
      }
    }
    return new WindowBlocks(timesChanged ? Optional.of(times) : Optional.empty(), blocks, rollups, addedSeries, conflicts);
  }

  /** The stored times with those of the samples that arrived, ascending, each once. */
  static long[] union(long[] storedTimes, Map<Integer, List<Point>> fresh) {
    TreeSet<Long> allTimes = new TreeSet<>();
    for (long ts : storedTimes) {
      allTimes.add(ts);
    }
    fresh.values().forEach(points -> points.forEach(point -> allTimes.add(point.ts())));
    return allTimes.size() == storedTimes.length ? storedTimes : allTimes.stream().mapToLong(Long::longValue).toArray();
  }

  /** Two ascending arrays of times merged, each time once. */
  static long[] union(long[] a, long[] b) {
    long[] merged = new long[a.length + b.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.length || j < b.length) {
      long next = j == b.length || i < a.length && a[i] <= b[j] ? a[i++] : b[j++];
      if (n == 0 || merged[n - 1] != next) {
        merged[n++] = next;
      }
    }
    return n == merged.length ? merged : Arrays.copyOf(merged, n);
  }
}
