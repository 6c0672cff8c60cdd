package io.nbnet.otlp;

import io.nbnet.formats.Sample;
import io.nbnet.formats.SpecialValues;
import io.nbnet.remotewrite.DecodedWrite;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OTLP requests (in OTLP/JSON, as the specification writes its examples) as nbnet's samples. */
class OtlpDecoderTest {

  private static final long NOW_NANOS = 1_765_000_000_000_000_000L;
  private static final long NOW = NOW_NANOS / 1_000_000;
  private static final OtlpDecoder DECODER = new OtlpDecoder("receiver-host");

  @Test
  @DisplayName("host.name is the host, service.name and namespace the job, service.instance.id the instance; other resource attributes no labels")
  void resourceAttributes() {
    DecodedWrite decoded = decode(request("""
      {"resource": {"attributes": [
         {"key": "host.name", "value": {"stringValue": "web-1"}},
         {"key": "service.name", "value": {"stringValue": "checkout"}},
         {"key": "service.namespace", "value": {"stringValue": "shop"}},
         {"key": "service.instance.id", "value": {"stringValue": "pod-7"}},
         {"key": "telemetry.sdk.language", "value": {"stringValue": "java"}}]},
       "scopeMetrics": [{"metrics": [{"name": "queue.size", "unit": "{item}", "gauge": {"dataPoints": [
         {"timeUnixNano": "%d", "asInt": "42", "attributes": [{"key": "queue.name", "value": {"stringValue": "orders"}}]}]}}]}]}
      """.formatted(NOW_NANOS)));
    assertEquals(List.of(Sample.numeric("web-1", NOW, "queue_size", "instance=pod-7,job=shop/checkout,queue_name=orders", 42)),
      decoded.samples());
    assertEquals("", decoded.problems());
  }

  @Test
  @DisplayName("cumulative sums and histograms become series as Prometheus's translation makes them; delta is refused and named")
  void sumsAndHistograms() {
    DecodedWrite decoded = decode(request("""
      {"resource": {"attributes": []}, "scopeMetrics": [{"metrics": [
        {"name": "http.server.requests", "unit": "1", "sum": {"isMonotonic": true, "aggregationTemporality": 2,
          "dataPoints": [{"timeUnixNano": "%1$d", "asDouble": 10}]}},
        {"name": "http.server.duration", "unit": "ms", "histogram": {"aggregationTemporality": 2, "dataPoints": [
          {"timeUnixNano": "%1$d", "count": "6", "sum": 120.5, "bucketCounts": ["1", "2", "3"], "explicitBounds": [5, 10.5]}]}},
        {"name": "jobs.done", "sum": {"isMonotonic": true, "aggregationTemporality": 1, "dataPoints": [{"timeUnixNano": "%1$d", "asInt": 3}]}}
      ]}]}
      """.formatted(NOW_NANOS)));
    assertEquals(List.of(
      Sample.numeric("receiver-host", NOW, "http_server_requests_total", "", 10),
      Sample.numeric("receiver-host", NOW, "http_server_duration_milliseconds_bucket", "le=5", 1),
      Sample.numeric("receiver-host", NOW, "http_server_duration_milliseconds_bucket", "le=10.5", 3),
      Sample.numeric("receiver-host", NOW, "http_server_duration_milliseconds_bucket", "le=+Inf", 6),
      Sample.numeric("receiver-host", NOW, "http_server_duration_milliseconds_sum", "", 120.5),
      Sample.numeric("receiver-host", NOW, "http_server_duration_milliseconds_count", "", 6)), decoded.samples());
    assertTrue(decoded.problems().contains("jobs.done: delta sums are not taken"), decoded.problems());
    assertEquals(1, decoded.refusedSamples());
  }

  @Test
  @DisplayName("a point flagged without a recorded value is a stale marker, a NaN is kept; a time outside the window is left out and counted")
  void pointsLeftOut() {
    DecodedWrite decoded = decode(request("""
      {"scopeMetrics": [{"metrics": [{"name": "g", "gauge": {"dataPoints": [
        {"timeUnixNano": "%1$d", "asDouble": 1, "flags": 1},
        {"timeUnixNano": "%1$d", "asDouble": "NaN"},
        {"timeUnixNano": "1000", "asDouble": 2},
        {"timeUnixNano": "%1$d", "asDouble": 3}]}}]}]}
      """.formatted(NOW_NANOS)));
    assertEquals(3, decoded.samples().size(), decoded.samples().toString());
    assertTrue(SpecialValues.isStale(decoded.samples().get(0).value()), "no recorded value: the stale marker");
    assertTrue(Double.isNaN(decoded.samples().get(1).value()) && !SpecialValues.isStale(decoded.samples().get(1).value()));
    assertEquals(3, decoded.samples().get(2).value());
    assertEquals(Map.of("out_of_bounds", 1L), decoded.leftOut());
  }

  @Test
  @DisplayName("what is not an OTLP request in JSON is refused")
  void unreadable() {
    assertThrows(IllegalArgumentException.class, () -> OtlpJson.parse("[1, 2]"));
    assertThrows(IllegalArgumentException.class, () -> OtlpJson.parse("{\"resourceMetrics\": [{\"scopeMetrics\": [{\"metrics\": [{\"gauge\": "
      + "{\"dataPoints\": [{\"timeUnixNano\": \"soon\"}]}}]}]}]}"));
  }

  private static String request(String resourceMetrics) {
    return "{\"resourceMetrics\": [" + resourceMetrics + "]}";
  }

  private static DecodedWrite decode(String json) {
    ExportMetricsServiceRequest request = OtlpJson.parse(json);
    return DECODER.decode(request, NOW - 60_000, NOW + 60_000);
  }
}
