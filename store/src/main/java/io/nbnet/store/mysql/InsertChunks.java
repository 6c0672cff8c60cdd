package io.nbnet.store.mysql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a number of rows into multi-row INSERT sizes: as many full chunks as fit, then the rest as
 * powers of two. Only about log2(max) statement shapes ever occur per table, so the prepared
 * statement cache holds them all instead of one per row count.
 */
public final class InsertChunks {

  private InsertChunks() {
  }

  public static List<Integer> sizes(int rows, int maxRowsPerInsert) {
    List<Integer> sizes = new ArrayList<>();
    int rest = rows;
    while (rest >= maxRowsPerInsert) {
      sizes.add(maxRowsPerInsert);
      rest -= maxRowsPerInsert;
    }
    for (int bit = Integer.highestOneBit(Math.max(rest, 1)); bit > 0; bit >>= 1) {
      if ((rest & bit) != 0) {
        sizes.add(bit);
      }
    }
    return sizes;
  }

  /** {@code items} cut into consecutive sublists of the sizes {@link #sizes} gives. */
  public static <T> List<List<T>> split(List<T> items, int maxRowsPerInsert) {
    List<List<T>> chunks = new ArrayList<>();
    int from = 0;
    for (int size : sizes(items.size(), maxRowsPerInsert)) {
      chunks.add(items.subList(from, from + size));
      from += size;
    }
    return chunks;
  }
}
