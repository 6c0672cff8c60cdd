package io.nbnet.forward;

import com.google.protobuf.ByteString;
import io.nbnet.formats.InvalidPayloadException;
import io.nbnet.formats.Payload;
import io.nbnet.formats.Sample;
import io.nbnet.formats.Tags;
import io.nbnet.formats.nb1.NativeBatch;
import io.nbnet.remotewrite.PromNaming;
import io.nbnet.remotewrite.proto.RemoteWriteProto;
import io.nbnet.remotewrite.proto.RemoteWriteProto.Label;
import io.nbnet.remotewrite.proto.RemoteWriteProto.TimeSeries;
import io.nbnet.remotewrite.proto.RemoteWriteProto.WriteRequest;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A batch of frames as remote write requests: their samples grouped by series, each series in time
 * order and without the samples at or before the last one already sent for it (Prometheus refuses a
 * request holding one out-of-order sample, whole), the series spread over shards by a hash of their
 * names, each shard's series cut into requests of at most {@code maxSamplesPerSend} samples and one
 * sample of a series each.
 * Text samples and old agents' messages have no Prometheus form and are counted, not sent.
 */
final class SeriesBatch {

  /** One request: its series, and the samples they hold. */
  record Request(WriteRequest message, int samples, long newestMillis) {
  }

  /** The series' names as labels and their last sent time: what the sender remembers between batches. */
  static final class Known {
    final List<Label> labels;
    long lastSentMillis = Long.MIN_VALUE;

    Known(List<Label> labels) {
      this.labels = labels;
    }
  }

  /** The samples of one series in this batch. */
  private static final class Points {
    final String key;
    final Known known;
    long[] times = new long[4];
    double[] values = new double[4];
    int size;
    boolean ordered = true;

    Points(String key, Known known) {
      this.key = key;
      this.known = known;
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
  private final Map<String, Known> known;
  private final List<List<Request>> shards;
  private final Map<String, Long> skipped = new TreeMap<>();

  private SeriesBatch(RemoteWriteTarget target, Map<String, Known> known) {
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
  static SeriesBatch of(List<Buffer> frames, RemoteWriteTarget target, Map<String, Known> known) {
    SeriesBatch batch = new SeriesBatch(target, known);
    batch.build(frames);
    return batch;
  }

  /** Requests by shard: a shard's in the order they must be sent. */
  List<List<Request>> shards() {
    return shards;
  }

  /** Samples not sent, by reason ({@code text}, {@code legacy}, {@code invalid_frame}, {@code out_of_order}). */
  Map<String, Long> skipped() {
    return skipped;
  }

  private void build(List<Buffer> frames) {
    Map<String, Points> series = new LinkedHashMap<>();
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
        String key = sample.host() + '\0' + sample.metric() + '\0' + sample.tags();
        series.computeIfAbsent(key, k -> new Points(k, known(k, sample))).add(sample.timestampMillis(), sample.value());
      }
    }
    List<List<Points>> byShard = new ArrayList<>(target.shards());
    for (int i = 0; i < target.shards(); i++) {
      byShard.add(new ArrayList<>());
    }
    for (Points points : series.values()) {
      if (!points.ordered) {
        sort(points);
      }
      int kept = keepAfterLastSent(points);
      skip("out_of_order", points.size - kept);
      points.size = kept;
      if (kept > 0) {
        points.known.lastSentMillis = points.times[kept - 1];
        byShard.get(Math.floorMod(points.key.hashCode(), target.shards())).add(points);
      }
    }
    for (int i = 0; i < target.shards(); i++) {
      cut(byShard.get(i), shards.get(i));
    }
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
      WriteRequest.Builder request = WriteRequest.newBuilder();
      int samples = 0;
      long newest = Long.MIN_VALUE;
      for (Points points : series) {
        if (points.size <= layer) {
          continue;
        }
        request.addTimeseries(TimeSeries.newBuilder().addAllLabels(points.known.labels)
          .addSamples(RemoteWriteProto.Sample.newBuilder().setTimestamp(points.times[layer]).setValue(points.values[layer])));
        newest = Math.max(newest, points.times[layer]);
        if (++samples == max) {
          requests.add(new Request(request.build(), samples, newest));
          request = WriteRequest.newBuilder();
          samples = 0;
          newest = Long.MIN_VALUE;
        }
      }
      if (samples > 0) {
        requests.add(new Request(request.build(), samples, newest));
      }
    }
  }

  private Known known(String key, Sample sample) {
    Known seen = known.get(key);
    if (seen == null) {
      if (known.size() >= target.maxSeries()) {
        // forgetting costs only the guard against resending: the memory stays bounded
        known.clear();
      }
      seen = new Known(labels(sample));
      known.put(key, seen);
    }
    return seen;
  }

  /** Sorted by name, as remote write requires: the tags (renamed as the PromQL API does), the name, the host, the extra labels. */
  private List<Label> labels(Sample sample) {
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
    List<Label> out = new ArrayList<>(labels.size());
    labels.forEach((name, value) -> out.add(Label.newBuilder().setName(ByteString.copyFromUtf8(name))
      .setValue(ByteString.copyFromUtf8(value)).build()));
    return List.copyOf(out);
  }

  private static void sort(Points points) {
    Integer[] order = new Integer[points.size];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // stable: of two samples at one time, the later one in the frames stays later (and is then left out as a repeat)
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
