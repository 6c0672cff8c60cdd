package io.nbnet.store;

import io.nbnet.store.tables.Windows;

import java.util.ArrayList;
import java.util.List;

/**
 * How the windows of a raw read are cut into statements: chunks of at most {@code perChunk} windows
 * (a statement's IN list), cut back from the newest window the staging ring may hold, so that one
 * chunk ({@code stagedChunk}) holds all of the ring's windows and is read in one statement with the
 * staged samples; windows past it (a range far ahead) come in chunks of their own after it.
 *
 * @param chunks      the windows of each statement, oldest first
 * @param stagedChunk the chunk read with the staged samples
 */
record RawChunks(List<List<Long>> chunks, int stagedChunk) {

  /** @param windows the window starts of the read, ascending; at least one */
  static RawChunks plan(List<Long> windows, long nowWindow, int perChunk) {
    long newestStaged = nowWindow + Windows.RING_SLOTS * Windows.WINDOW_MILLIS;
    int anchor = windows.size() - 1;
    // a range wholly past the ring is cut as any other: nothing of it is staged
    while (anchor > 0 && windows.get(anchor) > newestStaged && windows.get(0) <= newestStaged) {
      anchor--;
    }
    List<List<Long>> chunks = new ArrayList<>();
    for (int end = anchor + 1; end > 0; end -= perChunk) {
      chunks.add(0, windows.subList(Math.max(0, end - perChunk), end));
    }
    int stagedChunk = chunks.size() - 1;
    for (int start = anchor + 1; start < windows.size(); start += perChunk) {
      chunks.add(windows.subList(start, Math.min(windows.size(), start + perChunk)));
    }
    return new RawChunks(chunks, stagedChunk);
  }
}
