package io.nbnet.remotewrite;

import io.nbnet.support.config.ConfigView;

/**
 * What one remote write request may hold ({@code remoteWrite.*} of the port that takes it); past a
 * limit the request, or the series, is refused with 400 naming the key.
 *
 * @param maxBodyBytes          the compressed body
 * @param maxDecompressedBytes  what it unpacks to (snappy says before it is unpacked)
 * @param maxSeriesPerRequest   series in one request
 * @param maxLabelsPerSeries    labels of one series, {@code __name__} included
 * @param maxLabelNameLength    characters of a label's name
 * @param maxLabelValueLength   characters of a label's value
 * @param defaultHost           the host of a series with neither a {@code host} nor an {@code instance} label
 */
public record RemoteWriteLimits(int maxBodyBytes, int maxDecompressedBytes, int maxSeriesPerRequest, int maxLabelsPerSeries,
                                int maxLabelNameLength, int maxLabelValueLength, String defaultHost) {

  public static RemoteWriteLimits from(ConfigView config) {
    return new RemoteWriteLimits(
      config.integer("maxBodyBytes", 4 * 1024 * 1024, 1024, 256 * 1024 * 1024),
      config.integer("maxDecompressedBytes", 32 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      config.integer("maxSeriesPerRequest", 20_000, 1, 10_000_000),
      config.integer("maxLabelsPerSeries", 64, 1, 1_000),
      config.integer("maxLabelNameLength", 128, 1, 4_096),
      config.integer("maxLabelValueLength", 1_024, 1, 65_536),
      config.string("defaultHost", "remote-write"));
  }
}
