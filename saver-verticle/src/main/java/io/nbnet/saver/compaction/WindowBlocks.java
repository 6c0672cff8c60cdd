package io.nbnet.saver.compaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The blocks and 5-minute rollups of one window for a set of series: the samples that arrived,
 * merged with the block already stored (a sample whose time is there already keeps the stored value;
 * a different new value counts as a conflict), each series' block encoded and its rollup computed
 * from the merged block. Pure computation, run on the compaction worker.
 */
record WindowBlocks(List<Block> blocks, Map<Integer, Rollup> rollups, long conflicts) {

  /** One series' encoded block. */
  record Block(int series, int samples, byte[] points) {
  }

  static WindowBlocks build(long window, List<Integer> series, Map<Integer, List<Point>> fresh, Map<Integer, byte[]> stored) {
    List<Block> blocks = new ArrayList<>(series.size());
    Map<Integer, Rollup> rollups = new TreeMap<>();
    long conflicts = 0;
    for (int id : series) {
      byte[] old = stored.get(id);
      List<Point> points = fresh.get(id);
      if (old != null) {
        TreeMap<Long, Point> merged = new TreeMap<>();
        BlockCodec.decode(window, old).forEach(point -> merged.put(point.ts(), point));
        boolean changed = false;
        for (Point point : points) {
          Point kept = merged.putIfAbsent(point.ts(), point);
          if (kept == null) {
            changed = true;
          } else if (!kept.sameValueAs(point)) {
            conflicts++;
          }
        }
        if (!changed) {
          continue; // a replay of what the block holds already
        }
        points = new ArrayList<>(merged.values());
      }
      blocks.add(new Block(id, points.size(), BlockCodec.encode(window, points)));
      Rollup.of(points).ifPresent(rollup -> rollups.put(id, rollup));
    }
    return new WindowBlocks(blocks, rollups, conflicts);
  }
}
