package io.nbnet.store;

/** The value of a host's series at the host's newest sample time. */
public record NewestValue(String host, String metric, String tags, double value) {
}
