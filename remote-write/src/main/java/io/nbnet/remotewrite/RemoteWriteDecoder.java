package io.nbnet.remotewrite;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.nbnet.formats.Sample;
import io.nbnet.formats.SampleLimits;
import io.nbnet.formats.Tags;
import io.nbnet.remotewrite.proto.RemoteWriteProto;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A remote write 1.0 body (snappy block format around a protobuf {@code WriteRequest}) as nbnet's
 * samples. A series becomes samples of host = its {@code host} label, else {@code instance} (where the
 * receiver takes it as the host), else the default host; metric = {@code __name__}; tags = its other
 * labels ({@code instance} and {@code job}
 * included), escaped so that any value stays whole ({@link Tags#escaped}). A series that can never be
 * stored (no {@code __name__}, invalid UTF-8, past a limit) is refused on its own and named; the others
 * are kept. NaN, ±Inf and Prometheus's stale marker are kept as they are (the store keeps them by
 * name); times outside the window given are left out and counted; metadata, exemplars and native
 * histograms are counted only.
 */
public final class RemoteWriteDecoder {

  /** Problems named in the answer at most: the rest are only counted. */
  private static final int NAMED_PROBLEMS = 5;

  private final RemoteWriteLimits limits;
  private final String defaultHost;
  private final boolean instanceIsHost;

  /**
   * @param instanceIsHost whether a series without a {@code host} label belongs to its {@code instance}
   *                       (a saver taking a fleet's Prometheus) or to {@code defaultHost} (a collector
   *                       taking its own node's agent, whose instance is {@code localhost:9100})
   */
  public RemoteWriteDecoder(RemoteWriteLimits limits, String defaultHost, boolean instanceIsHost) {
    this.limits = limits;
    this.defaultHost = defaultHost;
    this.instanceIsHost = instanceIsHost;
  }

  /**
   * The samples of {@code body} whose times lie in {@code [oldestMillis, newestMillis]}.
   *
   * @throws UnreadableWriteException for a body that can never be read: not snappy, past the decompressed
   *                              size, not a WriteRequest, or with more series than allowed
   */
  public DecodedWrite decode(byte[] body, long oldestMillis, long newestMillis) {
    RemoteWriteProto.WriteRequest request = parse(body);
    if (request.getTimeseriesCount() > limits.maxSeriesPerRequest()) {
      throw new UnreadableWriteException(request.getTimeseriesCount() + " series in one request, past remoteWrite.maxSeriesPerRequest ("
        + limits.maxSeriesPerRequest() + ")");
    }
    DecodedWrite.Builder out = new DecodedWrite.Builder(NAMED_PROBLEMS);
    out.ignored("metadata", request.getMetadataCount());
    for (int index = 0; index < request.getTimeseriesCount(); index++) {
      RemoteWriteProto.TimeSeries series = request.getTimeseries(index);
      out.ignored("exemplars", series.getExemplarsCount());
      out.ignored("histograms", series.getHistogramsCount());
      String refusal = series(series, index, oldestMillis, newestMillis, out);
      if (refusal != null) {
        out.refusedSeries(refusal, series.getSamplesCount());
      }
    }
    return out.build();
  }

  private RemoteWriteProto.WriteRequest parse(byte[] body) {
    byte[] unpacked;
    try {
      if (!Snappy.isValidCompressedBuffer(body)) {
        throw new UnreadableWriteException("the body is not in snappy's block format");
      }
      int length = Snappy.uncompressedLength(body);
      if (length > limits.maxDecompressedBytes()) {
        throw new UnreadableWriteException("the body unpacks to " + length + " bytes, past remoteWrite.maxDecompressedBytes ("
          + limits.maxDecompressedBytes() + ")");
      }
      unpacked = Snappy.uncompress(body);
    } catch (IOException e) {
      throw new UnreadableWriteException("the body is not in snappy's block format");
    }
    try {
      return RemoteWriteProto.WriteRequest.parseFrom(unpacked);
    } catch (InvalidProtocolBufferException e) {
      throw new UnreadableWriteException("the body is not a remote write WriteRequest: " + e.getMessage());
    }
  }

  /** Adds the series' samples; returns why it is refused whole, or null. */
  private String series(RemoteWriteProto.TimeSeries series, int index, long oldestMillis, long newestMillis, DecodedWrite.Builder out) {
    if (series.getLabelsCount() > limits.maxLabelsPerSeries()) {
      return "series " + index + " has " + series.getLabelsCount() + " labels, past remoteWrite.maxLabelsPerSeries ("
        + limits.maxLabelsPerSeries() + ")";
    }
    Map<String, String> labels = new TreeMap<>();
    for (RemoteWriteProto.Label label : series.getLabelsList()) {
      String name = utf8(label.getName());
      String value = utf8(label.getValue());
      if (name == null || value == null) {
        return "series " + index + " has a label that is not valid UTF-8";
      }
      if (name.length() > limits.maxLabelNameLength()) {
        return "series " + index + " has a label name of " + name.length() + " characters, past remoteWrite.maxLabelNameLength ("
          + limits.maxLabelNameLength() + ")";
      }
      if (value.length() > limits.maxLabelValueLength()) {
        return "series " + index + " has a value of label " + name + " of " + value.length() + " characters, past"
          + " remoteWrite.maxLabelValueLength (" + limits.maxLabelValueLength() + ")";
      }
      if (!value.isEmpty()) { // an empty label is no label, as Prometheus reads it
        labels.put(name, value);
      }
    }
    String metric = labels.remove("__name__");
    if (metric == null) {
      return "series " + index + " " + Tags.escaped(labels) + " has no __name__";
    }
    String host = labels.remove("host");
    if (host == null) {
      host = instanceIsHost ? labels.getOrDefault("instance", defaultHost) : defaultHost;
    }
    String tags = Tags.escaped(labels);
    String named = metric + "{" + tags + "}";
    if (metric.length() > SampleLimits.MAX_METRIC_CHARS || host.length() > SampleLimits.MAX_HOST_CHARS) {
      return named + ": a name or host longer than nbnet's tables hold (" + SampleLimits.MAX_METRIC_CHARS + ", "
        + SampleLimits.MAX_HOST_CHARS + " characters)";
    }
    if (tags.length() > SampleLimits.MAX_TAGS_CHARS) {
      return named + ": its labels take " + tags.length() + " characters, past the " + SampleLimits.MAX_TAGS_CHARS + " nbnet's tags hold";
    }
    for (RemoteWriteProto.Sample sample : series.getSamplesList()) {
      double value = sample.getValue();
      long ts = sample.getTimestamp();
      if (ts < oldestMillis || ts > newestMillis) {
        out.leftOut("out_of_bounds");
      } else {
        out.sample(Sample.numeric(host, ts, metric, tags, value));
      }
    }
    return null;
  }

  /** The text of UTF-8 bytes; null when they are not valid UTF-8. */
  private static String utf8(ByteString bytes) {
    if (bytes.isValidUtf8()) {
      return bytes.toStringUtf8();
    }
    return null;
  }
}
