package io.nbnet.saver.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.nbnet.store.HostStatus;
import io.nbnet.support.metrics.NbnetMeters;

import java.util.function.Supplier;

/** The saver's own meters (its store's are the store's), each name written once. */
public final class SaverMeters {

  private SaverMeters() {
  }

  /** API requests by endpoint ({@code any} for a refused token) and HTTP status. */
  public static Counter apiRequests(String endpoint, int status) {
    return NbnetMeters.counter("nbnet.api.requests", "API requests by endpoint and HTTP status", "endpoint", endpoint, "status",
      Integer.toString(status));
  }

  public static Timer apiLatency(String endpoint) {
    return NbnetMeters.timer("nbnet.api.latency", "time to answer an API request", "endpoint", endpoint);
  }

  public static Counter eventBusFrames(String address) {
    return NbnetMeters.counter("nbnet.saver.eventbus.frames", "frames received on the event bus", "address", address);
  }

  /** Frames taken from Kafka, by outcome: {@code stored}, {@code invalid}, {@code retried}. */
  public static Counter kafkaFrames(String topic, String result) {
    return NbnetMeters.counter("nbnet.kafka.frames", "frames taken from Kafka, by outcome", "topic", topic, "result", result);
  }

  public static Gauge kafkaLag(String topic, int partition, Supplier<Number> frames) {
    return NbnetMeters.gauge("nbnet.kafka.consumer.lag", "frames in a partition not yet stored by this saver", frames, "topic", topic,
      "partition", String.valueOf(partition));
  }

  public static Gauge hosts(HostStatus status, Supplier<Number> count) {
    return NbnetMeters.gauge("nbnet.hosts", "hosts by whether they report", count, "status", status.label());
  }
}
