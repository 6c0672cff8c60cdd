package io.nbnet.store;

import io.nbnet.store.head.XorChunk;

import java.util.Arrays;

/**
 * One series's samples in the {@link Head}: compressed chunks in time order ({@link XorChunk}), one
 * value per time (the first written, as the store keeps it). Samples usually come in time order and are
 * appended to the newest chunk; one that comes late (frames committed out of order) goes into its
 * chunk, which is decoded and encoded again. Written on the store's event loop, read by queries on
 * theirs: every method holds the series's lock.
 */
final class HeadSeries {

  /** Bytes of a series without samples: the object, its ref, its chunk array and its entries in the head's indexes. */
  static final long OVERHEAD_BYTES = 320;

  final SeriesRef ref;
  private XorChunk[] chunks = new XorChunk[2];
  private int chunkCount;
  private int size;

  HeadSeries(SeriesRef ref) {
    this.ref = ref;
  }

  /** Adds a sample unless its time is there already; returns the bytes the series grew by. */
  synchronized long add(long ts, double value) {
    XorChunk newest = chunkCount == 0 ? null : chunks[chunkCount - 1];
    if (newest != null && ts > newest.maxTs() && !newest.isFull()) {
      long before = newest.bytes();
      newest.append(ts, value);
      size++;
      return newest.bytes() - before;
    }
    if (newest == null || ts > newest.maxTs()) {
      long grown = newest == null ? 0 : -newest.trim();
      XorChunk started = new XorChunk();
      started.append(ts, value);
      if (chunkCount == chunks.length) {
        chunks = Arrays.copyOf(chunks, chunkCount * 2);
        grown += chunkCount * 4L;
      }
      chunks[chunkCount++] = started;
      size++;
      return grown + started.bytes();
    }
    return insertLate(ts, value);
  }

  /** A sample not after the newest one: into the chunk its time falls in (the first, when before all), unless its time is there. */
  private long insertLate(long ts, double value) {
    int at = chunkCount - 1;
    while (at > 0 && chunks[at].minTs() > ts) {
      at--;
    }
    XorChunk chunk = chunks[at];
    long[] times = new long[chunk.count() + 1];
    double[] values = new double[chunk.count() + 1];
    chunk.decode(times, values);
    int found = Arrays.binarySearch(times, 0, chunk.count(), ts);
    if (found >= 0) {
      return 0;
    }
    int insert = -found - 1;
    System.arraycopy(times, insert, times, insert + 1, chunk.count() - insert);
    System.arraycopy(values, insert, values, insert + 1, chunk.count() - insert);
    times[insert] = ts;
    values[insert] = value;
    XorChunk rebuilt = XorChunk.of(times, values, 0, times.length);
    if (at < chunkCount - 1) {
      rebuilt.trim();
    }
    chunks[at] = rebuilt;
    size++;
    return rebuilt.bytes() - chunk.bytes();
  }

  /** Drops the chunks wholly before {@code cut}; returns the bytes freed. */
  synchronized long dropBefore(long cut) {
    int first = 0;
    long freed = 0;
    while (first < chunkCount && chunks[first].maxTs() < cut) {
      freed += chunks[first].bytes();
      size -= chunks[first].count();
      first++;
    }
    if (first > 0) {
      System.arraycopy(chunks, first, chunks, 0, chunkCount - first);
      Arrays.fill(chunks, chunkCount - first, chunkCount, null);
      chunkCount -= first;
    }
    return freed;
  }

  synchronized boolean isEmpty() {
    return size == 0;
  }

  synchronized int size() {
    return size;
  }

  synchronized long bytes() {
    long bytes = OVERHEAD_BYTES + chunks.length * 4L;
    for (int i = 0; i < chunkCount; i++) {
      bytes += chunks[i].bytes();
    }
    return bytes;
  }

  /** Hands {@code out} the samples from {@code from} to before {@code to}. */
  synchronized void read(long from, long to, XorChunk.Samples out) {
    for (int i = 0; i < chunkCount; i++) {
      XorChunk chunk = chunks[i];
      if (chunk.maxTs() >= from && chunk.minTs() < to) {
        chunk.forEach((ts, value) -> {
          if (ts >= from && ts < to) {
            out.sample(ts, value);
          }
        });
      }
    }
  }
}
