package io.nbnet.otlp;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The translation table of the README, case by case: the examples of Prometheus's own OTLP name tests. */
class OtlpNamesTest {

  @Test
  @DisplayName("units become words, monotonic sums get _total, gauges of unit 1 _ratio, other characters _")
  void metricNames() {
    assertEquals("system_io_bytes_total", OtlpNames.metric("system.io", "By", OtlpNames.Kind.MONOTONIC_SUM));
    assertEquals("system_network_io_bytes_total", OtlpNames.metric("system.network.io", "By", OtlpNames.Kind.MONOTONIC_SUM));
    assertEquals("http_server_duration_milliseconds", OtlpNames.metric("http.server.duration", "ms", OtlpNames.Kind.HISTOGRAM));
    assertEquals("system_cpu_utilization_ratio", OtlpNames.metric("system.cpu.utilization", "1", OtlpNames.Kind.GAUGE));
    assertEquals("system_disk_operation_time_seconds_total", OtlpNames.metric("system.disk.operation_time", "s",
      OtlpNames.Kind.MONOTONIC_SUM));
    assertEquals("network_transmit_bytes_per_second", OtlpNames.metric("network.transmit", "By/s", OtlpNames.Kind.GAUGE));
    assertEquals("requests_total", OtlpNames.metric("requests", "{request}", OtlpNames.Kind.MONOTONIC_SUM),
      "an annotation in braces is no unit");
    assertEquals("requests_total", OtlpNames.metric("requests_total", "", OtlpNames.Kind.MONOTONIC_SUM), "total once, at the end");
    assertEquals("queue_length", OtlpNames.metric("queue-length", "", OtlpNames.Kind.SUM), "a non-monotonic sum keeps its name");
    assertEquals("memory_usage_bytes", OtlpNames.metric("memory.usage", "bytes", OtlpNames.Kind.GAUGE), "an unknown unit is its own word");
    assertEquals("temperature_celsius", OtlpNames.metric("temperature", "Cel", OtlpNames.Kind.GAUGE));
    assertEquals("_2xx_responses_total", OtlpNames.metric("2xx.responses", "", OtlpNames.Kind.MONOTONIC_SUM));
    assertEquals("latency_seconds", OtlpNames.metric("latency_seconds", "s", OtlpNames.Kind.GAUGE), "a unit the name has is not added");
  }

  @Test
  @DisplayName("attribute names: other characters _, key_ before a digit, key before a single underscore")
  void labelNames() {
    assertEquals("http_method", OtlpNames.label("http.method"));
    assertEquals("key_0abc", OtlpNames.label("0abc"));
    assertEquals("key_private", OtlpNames.label("_private"));
    assertEquals("__reserved", OtlpNames.label("__reserved"));
    assertEquals("net_peer_name", OtlpNames.label("net/peer-name"));
  }
}
