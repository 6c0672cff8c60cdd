package io.nbnet.store;

/** A metric with one set of canonical tags (empty when none). */
public record SeriesName(String metric, String tags) {
}
