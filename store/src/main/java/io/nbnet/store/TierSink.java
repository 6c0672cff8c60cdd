package io.nbnet.store;

/** Where {@link StoreReader#read} hands what it reads: samples of the raw tier, rollups of the others. */
public interface TierSink {

  /** A numeric sample (text samples are not handed on). */
  void sample(SeriesRef series, long ts, double value);

  /** The rollup of the bucket {@code [start, start + length)}. */
  void rollup(SeriesRef series, long start, long length, Rollup rollup);
}
