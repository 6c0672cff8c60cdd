package io.nbnet.store.tables;

/**
 * Time is cut into windows of five minutes (UTC, aligned on the epoch): a window is the unit of
 * compaction, of a raw block and of a 5-minute rollup; twelve make an hour. Samples waiting for
 * compaction sit in a ring of {@link #RING_SLOTS} partitions, one per window modulo the ring, so the
 * table never needs new partitions and a window leaves with one partition swap.
 */
public final class Windows {

  public static final long WINDOW_MILLIS = 300_000;
  public static final long HOUR_MILLIS = 3_600_000;
  public static final long DAY_MILLIS = 86_400_000;
  public static final int RING_SLOTS = 64;

  private Windows() {
  }

  /** The start of the window holding {@code ts}. */
  public static long windowOf(long ts) {
    return ts - Math.floorMod(ts, WINDOW_MILLIS);
  }

  public static long hourOf(long ts) {
    return ts - Math.floorMod(ts, HOUR_MILLIS);
  }

  /** The ring partition holding the samples of the window that starts at {@code windowStart}. */
  public static int slot(long windowStart) {
    return (int) Math.floorMod(Math.floorDiv(windowStart, WINDOW_MILLIS), (long) RING_SLOTS);
  }

  public static String slotName(int slot) {
    return String.format("s%02d", slot);
  }

  /** Days since 1970-01-01 (UTC). */
  public static int day(long ts) {
    return (int) Math.floorDiv(ts, DAY_MILLIS);
  }
}
