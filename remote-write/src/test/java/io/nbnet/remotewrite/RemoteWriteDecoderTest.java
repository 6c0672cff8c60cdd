package io.nbnet.remotewrite;

import com.google.protobuf.ByteString;
import io.nbnet.formats.Sample;
import io.nbnet.formats.SpecialValues;
import io.nbnet.formats.Tags;
import io.nbnet.remotewrite.proto.RemoteWriteProto;
import io.nbnet.support.config.ConfigView;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Remote write bodies as nbnet samples: hosts, names and labels; series refused on their own; unreadable bodies refused whole. */
class RemoteWriteDecoderTest {

  private static final long NOW = 1_765_000_000_000L;
  private static final RemoteWriteLimits LIMITS = RemoteWriteLimits.from(ConfigView.of(new JsonObject().put("defaultHost", "fallback"),
    "remoteWrite"));
  private static final RemoteWriteDecoder DECODER = new RemoteWriteDecoder(LIMITS, LIMITS.defaultHost(), true);

  @Test
  @DisplayName("host from host, else instance, else the default; instance and job stay labels; commas and equals signs kept whole")
  void labelsBecomeHostMetricAndTags() throws Exception {
    DecodedWrite decoded = decode(RemoteWriteProto.WriteRequest.newBuilder()
      .addTimeseries(series(Map.of("__name__", "node_load1", "instance", "web-1:9100", "job", "node"), 1.5, NOW))
      .addTimeseries(series(Map.of("__name__", "up", "host", "db-1", "instance", "db-1:9100", "path", "a,b=c\\d"), 1, NOW))
      .addTimeseries(series(Map.of("__name__", "batch_runs_total", "empty", ""), 7, NOW))
      .build());
    assertEquals("", decoded.problems());
    assertEquals(List.of(
      Sample.numeric("web-1:9100", NOW, "node_load1", "instance=web-1:9100,job=node", 1.5),
      Sample.numeric("db-1", NOW, "up", "instance=db-1:9100,path=a\\,b\\=c\\\\d", 1),
      Sample.numeric("fallback", NOW, "batch_runs_total", "", 7)), decoded.samples());
    assertEquals(Map.of("instance", "db-1:9100", "path", "a,b=c\\d"), Tags.parse(decoded.samples().get(1).tags()),
      "the tags read back as the labels");
  }

  @Test
  @DisplayName("a series without __name__, with invalid UTF-8 or past a limit is refused and named; the others are kept")
  void badSeriesAreRefusedAlone() throws Exception {
    RemoteWriteProto.TimeSeries invalidUtf8 = RemoteWriteProto.TimeSeries.newBuilder()
      .addLabels(RemoteWriteProto.Label.newBuilder().setName(bytes("__name__")).setValue(ByteString.copyFrom(new byte[] {(byte) 0xC3, 0x28})))
      .addSamples(RemoteWriteProto.Sample.newBuilder().setValue(1).setTimestamp(NOW)).build();
    DecodedWrite decoded = decode(RemoteWriteProto.WriteRequest.newBuilder()
      .addTimeseries(series(Map.of("job", "nameless"), 1, NOW))
      .addTimeseries(invalidUtf8)
      .addTimeseries(series(Map.of("__name__", "long_value", "label", "x".repeat(2_000)), 1, NOW))
      .addTimeseries(series(Map.of("__name__", "kept"), 2, NOW))
      .build());
    assertEquals(List.of(Sample.numeric("fallback", NOW, "kept", "", 2)), decoded.samples());
    assertEquals(3, decoded.refusedSeries());
    assertTrue(decoded.problems().contains("series 0 job=nameless has no __name__"), decoded.problems());
    assertTrue(decoded.problems().contains("series 1 has a label that is not valid UTF-8"), decoded.problems());
    assertTrue(decoded.problems().contains("past remoteWrite.maxLabelValueLength (1024)"), decoded.problems());
  }

  @Test
  @DisplayName("NaN, the stale marker and infinities are kept, bits and all; times out of the window are left out and counted;"
    + " metadata and exemplars only counted")
  void valuesMariaDbCannotHoldAreLeftOut() throws Exception {
    double staleMarker = Double.longBitsToDouble(0x7ff0000000000002L);
    RemoteWriteProto.TimeSeries.Builder mixed = series(Map.of("__name__", "mixed"), 1, NOW).toBuilder()
      .addSamples(RemoteWriteProto.Sample.newBuilder().setValue(Double.NaN).setTimestamp(NOW + 1))
      .addSamples(RemoteWriteProto.Sample.newBuilder().setValue(staleMarker).setTimestamp(NOW + 2))
      .addSamples(RemoteWriteProto.Sample.newBuilder().setValue(Double.POSITIVE_INFINITY).setTimestamp(NOW + 3))
      .addSamples(RemoteWriteProto.Sample.newBuilder().setValue(4).setTimestamp(NOW + 86_400_000))
      .addSamples(RemoteWriteProto.Sample.newBuilder().setValue(5).setTimestamp(3))
      .addExemplars(ByteString.copyFromUtf8("exemplar"));
    DecodedWrite decoded = decode(RemoteWriteProto.WriteRequest.newBuilder().addTimeseries(mixed).addMetadata(ByteString.copyFromUtf8("m")).build());
    assertEquals(4, decoded.samples().size(), decoded.samples().toString());
    assertTrue(Double.isNaN(decoded.samples().get(1).value()) && !SpecialValues.isStale(decoded.samples().get(1).value()));
    assertTrue(SpecialValues.isStale(decoded.samples().get(2).value()), "the stale marker keeps its bits");
    assertEquals(Double.POSITIVE_INFINITY, decoded.samples().get(3).value());
    assertEquals(Map.of("out_of_bounds", 2L), decoded.leftOut());
    assertEquals(Map.of("metadata", 1L, "exemplars", 1L), decoded.ignored());
  }

  @Test
  @DisplayName("a body that is not snappy, not a WriteRequest, unpacks past the limit or holds too many series is refused whole")
  void unreadableBodies() throws Exception {
    assertRefused("not snappy at all".getBytes(StandardCharsets.UTF_8), "snappy");
    assertRefused(Snappy.compress(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}), "not a remote write WriteRequest");
    assertRefused(Snappy.compress(new byte[LIMITS.maxDecompressedBytes() + 1]), "past remoteWrite.maxDecompressedBytes");
    RemoteWriteProto.WriteRequest.Builder many = RemoteWriteProto.WriteRequest.newBuilder();
    for (int i = 0; i <= LIMITS.maxSeriesPerRequest(); i++) {
      many.addTimeseries(series(Map.of("__name__", "s" + i), 1, NOW));
    }
    assertRefused(Snappy.compress(many.build().toByteArray()), "past remoteWrite.maxSeriesPerRequest");
  }

  private static void assertRefused(byte[] body, String message) {
    UnreadableWriteException refused = assertThrows(UnreadableWriteException.class, () -> DECODER.decode(body, NOW - 60_000, NOW + 60_000));
    assertTrue(refused.getMessage().contains(message), refused.getMessage());
  }

  private static DecodedWrite decode(RemoteWriteProto.WriteRequest request) throws Exception {
    return DECODER.decode(Snappy.compress(request.toByteArray()), NOW - 60_000, NOW + 60_000);
  }

  private static RemoteWriteProto.TimeSeries series(Map<String, String> labels, double value, long ts) {
    RemoteWriteProto.TimeSeries.Builder series = RemoteWriteProto.TimeSeries.newBuilder();
    new java.util.TreeMap<>(labels).forEach((name, text) -> series.addLabels(RemoteWriteProto.Label.newBuilder().setName(bytes(name))
      .setValue(bytes(text))));
    return series.addSamples(RemoteWriteProto.Sample.newBuilder().setValue(value).setTimestamp(ts)).build();
  }

  private static ByteString bytes(String text) {
    return ByteString.copyFromUtf8(text);
  }
}
