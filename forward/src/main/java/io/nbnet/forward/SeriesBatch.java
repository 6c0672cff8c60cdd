package io.nbnet.forward;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.nbnet.formats.InvalidPayloadException;
import io.nbnet.formats.Payload;
import io.nbnet.formats.Sample;
import io.nbnet.formats.Tags;
import io.nbnet.formats.nb1.NativeBatch;
import io.nbnet.remotewrite.PromNaming;
import io.nbnet.remotewrite.proto.RemoteWriteProto.Label;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A batch of frames as remote write requests: their samples grouped by series, each series in time
 * order and without the samples at or before the last one already sent for it (Prometheus refuses a
 * request holding one out-of-order sample, whole), the series spread over shards by a hash of their
 * names, each shard's series cut into requests of at most {@code maxSamplesPerSend} samples and one
 * sample of a series each. A series's labels are encoded once, when it is first seen, and copied into
 * every request as bytes: the request is written straight to protobuf's wire format (a
 * {@code WriteRequest} of {@code TimeSeries}), as most of forwarding's work is those labels.
 * Text samples and old agents' messages have no Prometheus form and are counted, not sent.
 */
final class SeriesBatch {

  /** Field numbers and wire types of remote write's messages ({@code remote_write.proto}). */
  private static final int WRITE_REQUEST_TIMESERIES = 1;
  private static final int TIMESERIES_LABELS = 1;
  private static final int TIMESERIES_SAMPLES = 2;
  private static final int SAMPLE_VALUE = 1;
  private static final int SAMPLE_TIMESTAMP = 2;

  /** One request: protobuf {@code WriteRequest} bytes (not yet compressed), the samples it holds, its newest sample's time. */
  record Request(byte[] body, int samples, long newestMillis) {
  }

  /** What names a series of a host. */
  private record SeriesName(String metric, String tags) {
  }

  /** A series as the sender remembers it between batches: its labels already encoded, its shard, its last sent time. */
  private static final class Known {
    final SeriesName name;
    final byte[] labels;
    final int shard;
    long lastSentMillis = Long.MIN_VALUE;
    /** The series's samples in the batch being built (kept from batch to batch: most of a batch is one sample a series). */
    final Points points = new Points(this);
    boolean inBatch;

    Known(SeriesName name, byte[] labels, int shard) {
      this.name = name;
      this.labels = labels;
      this.shard = shard;
    }
  }

  /**
   * A host's series as the sender remembers them: by name, and in the order of its last frame. A
   * collector sends its series in the same order every interval, so the series at a sample's place in
   * the last frame is nearly always its own: two string comparisons instead of a lookup in a map of
   * the whole fleet's series (most of forwarding's time, before this).
   */
  static final class HostSeries {
    private final Map<SeriesName, Known> byName = new HashMap<>();
    private Known[] inOrder = new Known[16];
    /** The place of the host's next sample in the frame being read; -1 while the frame has had none of the host's. */
    private int cursor = -1;
  }

  /** The samples of one series in this batch. */
  private static final class Points {
    private static final int KEPT_CAPACITY = 4;
    final Known known;
    long[] times = new long[KEPT_CAPACITY];
    double[] values = new double[KEPT_CAPACITY];
    int size;
    boolean ordered = true;

    Points(Known known) {
      this.known = known;
    }

    /** Empty again for the next batch; a backlog's long arrays are let go. */
    void clear() {
      size = 0;
      ordered = true;
      if (times.length > KEPT_CAPACITY) {
        times = new long[KEPT_CAPACITY];
        values = new double[KEPT_CAPACITY];
      }
    }

    void add(long time, double value) {
      if (size == times.length) {
        times = Arrays.copyOf(times, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      if (size > 0 && time < times[size - 1]) {
        ordered = false;
      }
      times[size] = time;
      values[size] = value;
      size++;
    }
  }

  private final RemoteWriteTarget target;
  private final Map<String, HostSeries> known;
  /** The hosts of the frame being read: their cursors go back to -1 after it. */
  private final List<HostSeries> inFrame = new ArrayList<>();
  /** The last sample's host (a frame's lines share one string per host) and its series. */
  private String lastHostName;
  private HostSeries lastHost;
  private final List<List<Request>> shards;
  private final Map<String, Long> skipped = new TreeMap<>();

  private SeriesBatch(RemoteWriteTarget target, Map<String, HostSeries> known) {
    this.target = target;
    this.known = known;
    this.shards = new ArrayList<>(target.shards());
    for (int i = 0; i < target.shards(); i++) {
      shards.add(new ArrayList<>());
    }
  }

  /**
   * @param known the sender's memory of series (updated here: a sample put in a request counts as sent,
   *              as the sender retries it until it is delivered or refused for good)
   */
  static SeriesBatch of(List<Buffer> frames, RemoteWriteTarget target, Map<String, HostSeries> known) {
    if (known.values().stream().mapToLong(host -> host.byName.size()).sum() >= target.maxSeries()) {
      // forgetting costs only the guard against resending: the memory stays bounded (between batches, so
      // that a batch holds one record of each series)
      known.clear();
    }
    SeriesBatch batch = new SeriesBatch(target, known);
    batch.build(frames);
    return batch;
  }

  /** Requests by shard: a shard's in the order they must be sent. */
  List<List<Request>> shards() {
    return shards;
  }

  /** Samples not sent, by reason ({@code text}, {@code out_of_order}), and frames ({@code legacy}, {@code invalid_frame}). */
  Map<String, Long> skipped() {
    return skipped;
  }

  private void build(List<Buffer> frames) {
    List<Points> series = new ArrayList<>();
    for (Buffer frame : frames) {
      Payload payload;
      try {
        payload = Payload.decode(frame);
      } catch (InvalidPayloadException e) {
        skip("invalid_frame", 1);
        continue;
      }
      if (!(payload instanceof NativeBatch batch)) {
        skip("legacy", 1);
        continue;
      }
      for (Sample sample : batch.samples()) {
        if (sample.isText()) {
          skip("text", 1);
          continue;
        }
        Known seen = known(sample);
        if (!seen.inBatch) {
          seen.inBatch = true;
          series.add(seen.points);
        }
        seen.points.add(sample.timestampMillis(), sample.value());
      }
      for (HostSeries host : inFrame) {
        host.cursor = -1;
      }
      inFrame.clear();
    }
    List<List<Points>> byShard = new ArrayList<>(target.shards());
    for (int i = 0; i < target.shards(); i++) {
      byShard.add(new ArrayList<>());
    }
    for (Points points : series) {
      points.known.inBatch = false;
      if (!points.ordered) {
        sort(points);
      }
      int kept = keepAfterLastSent(points);
      skip("out_of_order", points.size - kept);
      points.size = kept;
      if (kept > 0) {
        points.known.lastSentMillis = points.times[kept - 1];
        byShard.get(points.known.shard).add(points);
      }
    }
    for (int i = 0; i < target.shards(); i++) {
      cut(byShard.get(i), shards.get(i));
    }
    series.forEach(Points::clear);
  }

  /** Moves the samples after the series' last sent one (and after each other: no time twice) to the front; returns how many. */
  private static int keepAfterLastSent(Points points) {
    long last = points.known.lastSentMillis;
    int kept = 0;
    for (int i = 0; i < points.size; i++) {
      if (points.times[i] > last) {
        points.times[kept] = points.times[i];
        points.values[kept] = points.values[i];
        last = points.times[i];
        kept++;
      }
    }
    return kept;
  }

  /**
   * A shard's series in requests of at most {@code maxSamplesPerSend} samples and at most one sample of
   * a series each: the first sample of every series, then the second... A request resent after its
   * answer was lost (the target stopped while it was in flight) then repeats, for each series, exactly
   * the newest sample the target may already hold, which Prometheus takes silently; two samples of one
   * series in it would be refused, the whole request, as out of order. While each series has a sample an
   * interval (the steady state) a request holds as many samples as ever.
   */
  private void cut(List<Points> series, List<Request> requests) {
    int max = target.maxSamplesPerSend();
    int longest = series.stream().mapToInt(points -> points.size).max().orElse(0);
    for (int layer = 0; layer < longest; layer++) {
      List<Points> inRequest = new ArrayList<>();
      for (Points points : series) {
        if (points.size > layer) {
          inRequest.add(points);
          if (inRequest.size() == max) {
            requests.add(request(inRequest, layer));
            inRequest.clear();
          }
        }
      }
      if (!inRequest.isEmpty()) {
        requests.add(request(inRequest, layer));
      }
    }
  }

  /** The {@code WriteRequest} of each series's sample {@code layer}, written field by field. */
  private static Request request(List<Points> series, int layer) {
    int[] sizes = new int[series.size()];
    int size = 0;
    long newest = Long.MIN_VALUE;
    for (int i = 0; i < sizes.length; i++) {
      Points points = series.get(i);
      sizes[i] = timeSeriesSize(points, layer);
      size += CodedOutputStream.computeTagSize(WRITE_REQUEST_TIMESERIES) + CodedOutputStream.computeUInt32SizeNoTag(sizes[i]) + sizes[i];
      newest = Math.max(newest, points.times[layer]);
    }
    byte[] body = new byte[size];
    CodedOutputStream out = CodedOutputStream.newInstance(body);
    try {
      for (int i = 0; i < sizes.length; i++) {
        Points points = series.get(i);
        out.writeTag(WRITE_REQUEST_TIMESERIES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(sizes[i]);
        out.writeRawBytes(points.known.labels);
        out.writeTag(TIMESERIES_SAMPLES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(sampleSize(points.times[layer]));
        out.writeDouble(SAMPLE_VALUE, points.values[layer]);
        out.writeInt64(SAMPLE_TIMESTAMP, points.times[layer]);
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Request(body, series.size(), newest);
  }

  private static int timeSeriesSize(Points points, int layer) {
    int sample = sampleSize(points.times[layer]);
    return points.known.labels.length + CodedOutputStream.computeTagSize(TIMESERIES_SAMPLES)
      + CodedOutputStream.computeUInt32SizeNoTag(sample) + sample;
  }

  /** A {@code Sample} with both fields written (a value of 0 too: valid, and -0.0 keeps its sign). */
  private static int sampleSize(long timestamp) {
    return CodedOutputStream.computeDoubleSize(SAMPLE_VALUE, 0) + CodedOutputStream.computeInt64Size(SAMPLE_TIMESTAMP, timestamp);
  }

  private Known known(Sample sample) {
    HostSeries host = sample.host() == lastHostName ? lastHost : known.computeIfAbsent(sample.host(), h -> new HostSeries());
    lastHostName = sample.host();
    lastHost = host;
    if (host.cursor < 0) {
      host.cursor = 0;
      inFrame.add(host);
    }
    int place = host.cursor++;
    Known candidate = place < host.inOrder.length ? host.inOrder[place] : null;
    if (candidate != null && candidate.name.metric().equals(sample.metric()) && candidate.name.tags().equals(sample.tags())) {
      return candidate;
    }
    SeriesName name = new SeriesName(sample.metric(), sample.tags());
    Known seen = host.byName.get(name);
    if (seen == null) {
      seen = new Known(name, labels(sample), Math.floorMod(31 * sample.host().hashCode() + name.hashCode(), target.shards()));
      host.byName.put(name, seen);
    }
    if (place >= host.inOrder.length) {
      host.inOrder = Arrays.copyOf(host.inOrder, Math.max(place + 1, host.inOrder.length * 2));
    }
    host.inOrder[place] = seen;
    return seen;
  }

  /**
   * The series's {@code labels} fields of a {@code TimeSeries}, sorted by name as remote write requires:
   * the tags (renamed as the PromQL API does), the name, the host, the extra labels.
   */
  private byte[] labels(Sample sample) {
    Map<String, String> labels = new TreeMap<>();
    if (!sample.tags().isEmpty()) {
      Tags.parse(sample.tags()).forEach((name, value) -> {
        String label = PromNaming.label(name);
        labels.put(label.equals(target.hostLabel()) ? "exported_" + label : label, value);
      });
    }
    labels.put(PromNaming.METRIC_NAME, PromNaming.metric(sample.metric()));
    labels.put(target.hostLabel(), sample.host());
    target.extraLabels().forEach(labels::putIfAbsent);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      for (Map.Entry<String, String> label : labels.entrySet()) {
        out.writeMessage(TIMESERIES_LABELS, Label.newBuilder().setName(ByteString.copyFromUtf8(label.getKey()))
          .setValue(ByteString.copyFromUtf8(label.getValue())).build());
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void sort(Points points) {
    Integer[] order = new Integer[points.size];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // stable: of two samples at one time, the first in the frames is kept (the later one is left out as a repeat)
    Arrays.sort(order, (a, b) -> Long.compare(points.times[a], points.times[b]));
    long[] times = new long[points.size];
    double[] values = new double[points.size];
    for (int i = 0; i < order.length; i++) {
      times[i] = points.times[order[i]];
      values[i] = points.values[order[i]];
    }
    points.times = times;
    points.values = values;
  }

  private void skip(String reason, long samples) {
    if (samples > 0) {
      skipped.merge(reason, samples, Long::sum);
    }
  }
}
