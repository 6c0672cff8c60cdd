package io.nbnet.store;

import io.nbnet.store.tables.Windows;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Raw reads cut into statements so that the staging ring's windows are read with the staged samples, whatever the range. */
class RawChunksTest {

  private static final long NOW_WINDOW = 1_765_000_200_000L / Windows.WINDOW_MILLIS * Windows.WINDOW_MILLIS;

  @Test
  @DisplayName("a range ending now: chunks cut back from the newest window, the last one with the staged samples")
  void rangeEndingNow() {
    RawChunks plan = RawChunks.plan(windows(NOW_WINDOW - 599 * Windows.WINDOW_MILLIS, 600), NOW_WINDOW, 288);
    assertEquals(List.of(24, 288, 288), plan.chunks().stream().map(List::size).toList());
    assertEquals(2, plan.stagedChunk());
    assertHoldsTheRing(plan);
  }

  @Test
  @DisplayName("a range reaching a day ahead: the ring's windows still in the chunk read with the staged samples")
  void rangeFarAhead() {
    RawChunks plan = RawChunks.plan(windows(NOW_WINDOW - 100 * Windows.WINDOW_MILLIS, 400), NOW_WINDOW, 288);
    assertHoldsTheRing(plan);
    List<Long> all = new ArrayList<>();
    plan.chunks().forEach(all::addAll);
    assertEquals(windows(NOW_WINDOW - 100 * Windows.WINDOW_MILLIS, 400), all, "every window once, in order");
    assertTrue(plan.chunks().stream().allMatch(chunk -> chunk.size() <= 288));
  }

  @Test
  @DisplayName("a range wholly ahead of the ring: one chunk, read with the staged samples (which hold nothing there)")
  void rangeWhollyAhead() {
    RawChunks plan = RawChunks.plan(windows(NOW_WINDOW + 100 * Windows.WINDOW_MILLIS, 3), NOW_WINDOW, 288);
    assertEquals(1, plan.chunks().size());
    assertEquals(0, plan.stagedChunk());
  }

  /** Every window of the ring the read covers lies in the staged chunk. */
  private static void assertHoldsTheRing(RawChunks plan) {
    List<Long> staged = plan.chunks().get(plan.stagedChunk());
    for (int c = 0; c < plan.chunks().size(); c++) {
      for (long window : plan.chunks().get(c)) {
        boolean inRing = window >= NOW_WINDOW - Windows.RING_SLOTS * Windows.WINDOW_MILLIS && window <= NOW_WINDOW;
        assertTrue(!inRing || staged.contains(window), "ring window " + window + " read apart from the staged samples, chunk " + c);
      }
    }
  }

  private static List<Long> windows(long first, int count) {
    List<Long> windows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      windows.add(first + i * Windows.WINDOW_MILLIS);
    }
    return windows;
  }
}
