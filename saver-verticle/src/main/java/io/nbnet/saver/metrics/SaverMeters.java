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

  /** Samples remote write requests brought and the saver committed. */
  public static Counter remoteWriteSamples() {
    return NbnetMeters.counter("nbnet.remote.write.samples", "samples of remote write requests committed");
  }

  /**
   * Remote write refused: {@code series} (series refused whole), {@code unreadable} and {@code unavailable}
   * (requests), {@code series_limit} and {@code invalid} (requests the store refused).
   */
  public static Counter remoteWriteRefused(String reason) {
    return NbnetMeters.counter("nbnet.remote.write.refused", "remote write series or requests refused, by reason", "reason", reason);
  }

  /** Samples of stored series left out: {@code non_finite}, {@code out_of_bounds}. */
  public static Counter remoteWriteLeftOut(String reason) {
    return NbnetMeters.counter("nbnet.remote.write.samples.left.out", "remote write samples not stored, by reason", "reason", reason);
  }

  /** What remote write brings that nbnet does not take: {@code metadata}, {@code exemplars}, {@code histograms}. */
  public static Counter remoteWriteIgnored(String kind) {
    return NbnetMeters.counter("nbnet.remote.write.ignored", "remote write entries nbnet does not take, by kind", "kind", kind);
  }
}
