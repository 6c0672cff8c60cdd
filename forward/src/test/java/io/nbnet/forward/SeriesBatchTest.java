package io.nbnet.forward;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.remotewrite.proto.RemoteWriteProto.Label;
import io.nbnet.remotewrite.proto.RemoteWriteProto.TimeSeries;
import io.nbnet.remotewrite.proto.RemoteWriteProto.WriteRequest;
import io.nbnet.support.config.ConfigView;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesBatchTest {

  private static RemoteWriteTarget target(int shards, int maxSamplesPerSend) {
    return RemoteWriteTarget.from(ConfigView.of(new JsonObject().put("url", "http://127.0.0.1:9090/api/v1/write").put("shards", shards)
      .put("maxSamplesPerSend", maxSamplesPerSend).put("extraLabels", new JsonObject().put("dc", "dc1").put("device", "not-this")), "target"));
  }

  private static Buffer frame(Sample... samples) {
    return NativeFormat.encode("test", 1, List.of(samples));
  }

  /** The request as a receiver reads it: the bytes written field by field must parse as a WriteRequest. */
  private static WriteRequest message(SeriesBatch.Request request) {
    try {
      return WriteRequest.parseFrom(request.body());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not a WriteRequest", e);
    }
  }

  /** Every series of every request, in the order they would be sent, by labels: its samples as "time=value". */
  private static Map<String, List<String>> sent(SeriesBatch batch) {
    Map<String, List<String>> sent = new LinkedHashMap<>();
    for (List<SeriesBatch.Request> shard : batch.shards()) {
      for (SeriesBatch.Request request : shard) {
        int samples = 0;
        for (TimeSeries series : message(request).getTimeseriesList()) {
          StringBuilder labels = new StringBuilder();
          for (Label label : series.getLabelsList()) {
            labels.append(label.getName().toStringUtf8()).append('=').append(label.getValue().toStringUtf8()).append(' ');
          }
          series.getSamplesList().forEach(sample -> sent.computeIfAbsent(labels.toString().strip(), k -> new ArrayList<>())
            .add(sample.getTimestamp() + "=" + sample.getValue()));
          samples += series.getSamplesCount();
        }
        assertEquals(samples, request.samples());
      }
    }
    return sent;
  }

  @Test
  @DisplayName("samples become series under the PromQL API's names, sorted labels, in time order, extra labels where the series has none")
  void namesAndOrder() {
    SeriesBatch batch = SeriesBatch.of(List.of(
      frame(Sample.numeric("web-1", 2_000, "cpu.user", "", 2), Sample.numeric("web-1", 1_000, "cpu.user", "", 1),
        Sample.numeric("web-1", 1_000, "disk.busy", "device=sda,host=other", 0.5), Sample.text("web-1", 1_000, "os.name", "", "linux")),
      frame(Sample.numeric("web-2", 1_500, "cpu.user", "", 7), Sample.numeric("web-1", 3_000, "cpu.user", "", 3)),
      Buffer.buffer("{\"Host\":\"old-agent\",\"Time\":1700000000,\"MemUsage\":12}"),
      Buffer.buffer("not a frame")), target(4, 100), new HashMap<>());
    Map<String, List<String>> sent = sent(batch);
    assertEquals(Map.of(
      "__name__=cpu_user dc=dc1 device=not-this host=web-1", List.of("1000=1.0", "2000=2.0", "3000=3.0"),
      "__name__=cpu_user dc=dc1 device=not-this host=web-2", List.of("1500=7.0"),
      "__name__=disk_busy dc=dc1 device=sda exported_host=other host=web-1", List.of("1000=0.5")), sent);
    assertEquals(Map.of("text", 1L, "legacy", 1L, "invalid_frame", 1L), batch.skipped());
  }

  @Test
  @DisplayName("a series never goes out of order: what is at or before its last sent sample is left out and counted, in this batch or the next")
  void outOfOrderLeftOut() {
    Map<String, SeriesBatch.HostSeries> known = new HashMap<>();
    SeriesBatch first = SeriesBatch.of(List.of(frame(Sample.numeric("h", 5_000, "m", "", 5), Sample.numeric("h", 5_000, "m", "", 5))),
      target(1, 100), known);
    assertEquals(Map.of("__name__=m dc=dc1 device=not-this host=h", List.of("5000=5.0")), sent(first));
    assertEquals(Map.of("out_of_order", 1L), first.skipped());
    SeriesBatch second = SeriesBatch.of(List.of(frame(Sample.numeric("h", 4_000, "m", "", 4), Sample.numeric("h", 6_000, "m", "", 6))),
      target(1, 100), known);
    assertEquals(Map.of("__name__=m dc=dc1 device=not-this host=h", List.of("6000=6.0")), sent(second));
    assertEquals(Map.of("out_of_order", 1L), second.skipped());
  }

  @Test
  @DisplayName("a host whose series come in another order, or fewer of them, than in its last frame: every sample under its own series")
  void seriesInAnotherOrder() {
    Map<String, SeriesBatch.HostSeries> known = new HashMap<>();
    SeriesBatch.of(List.of(frame(Sample.numeric("h", 1_000, "a", "", 1), Sample.numeric("h", 1_000, "b", "x=1", 2),
      Sample.numeric("h", 1_000, "b", "x=2", 3))), target(1, 100), known);
    SeriesBatch next = SeriesBatch.of(List.of(frame(Sample.numeric("h", 2_000, "b", "x=2", 30), Sample.numeric("h", 2_000, "a", "", 10)),
      frame(Sample.numeric("h", 3_000, "b", "x=1", 200), Sample.numeric("h", 3_000, "c", "", 400))), target(1, 100), known);
    assertEquals(Map.of(
      "__name__=b dc=dc1 device=not-this host=h x=2", List.of("2000=30.0"),
      "__name__=a dc=dc1 device=not-this host=h", List.of("2000=10.0"),
      "__name__=b dc=dc1 device=not-this host=h x=1", List.of("3000=200.0"),
      "__name__=c dc=dc1 device=not-this host=h", List.of("3000=400.0")), sent(next));
  }

  @Test
  @DisplayName("requests hold at most maxSamplesPerSend samples and one sample of a series: a backlog goes the oldest sample of each first")
  void cutIntoRequests() {
    List<Sample> samples = new ArrayList<>();
    for (int host = 0; host < 20; host++) {
      for (int t = 0; t < 7; t++) {
        samples.add(Sample.numeric("host-" + host, 1_000L * t, "load.1", "", t));
      }
    }
    SeriesBatch batch = SeriesBatch.of(List.of(frame(samples.toArray(Sample[]::new))), target(3, 5), new HashMap<>());
    int total = 0;
    for (List<SeriesBatch.Request> shard : batch.shards()) {
      for (SeriesBatch.Request request : shard) {
        assertTrue(request.samples() <= 5, request.samples() + " samples in one request");
        assertEquals(request.samples(), message(request).getTimeseriesList().stream().map(TimeSeries::getLabelsList).distinct().count(),
          "one sample a series");
        total += request.samples();
      }
    }
    assertEquals(140, total);
    Map<String, List<String>> sent = sent(batch);
    assertEquals(20, sent.size());
    sent.values().forEach(points -> assertEquals(List.of("0=0.0", "1000=1.0", "2000=2.0", "3000=3.0", "4000=4.0", "5000=5.0", "6000=6.0"),
      points));
    assertTrue(batch.shards().stream().filter(shard -> !shard.isEmpty()).count() > 1, "series spread over shards");
  }
}
