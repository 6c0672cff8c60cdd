package io.nbnet.promql;

/**
 * One series as a {@link SeriesSource} gives it: its labels and its samples in time order (times in
 * milliseconds). A value may be Prometheus's stale marker ({@link Values#STALE_NAN}).
 */
public record StoredSeries(Labels labels, long[] times, double[] values) {
}
