package io.nbnet.formats.parsers;

/**
 * What a parsed sample takes when its input does not say.
 *
 * @param host      the host every sample belongs to
 * @param nowMillis the time of samples without a timestamp, epoch milliseconds
 */
public record SampleDefaults(String host, long nowMillis) {
}
