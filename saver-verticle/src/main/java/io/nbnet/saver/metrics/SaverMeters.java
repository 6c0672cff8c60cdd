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

  /** PromQL selections (of queries and rules) read from the saver's head ({@code head}) or from MySQL ({@code mysql}). */
  public static Counter promqlSelections(String source) {
    return NbnetMeters.counter("nbnet.promql.selections", "PromQL selections by where their samples were read", "source", source);
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

  /** Samples the write APIs ({@code protocol}: {@code remote_write}, {@code otlp}) brought and the saver committed. */
  public static Counter writeSamples(String protocol) {
    return NbnetMeters.counter("nbnet.write.samples", "samples of the write APIs committed", "protocol", protocol);
  }

  /**
   * Writes refused: {@code series} (series or metrics refused whole), {@code unreadable} and {@code unavailable}
   * (requests), {@code limit} and {@code invalid} (requests the store refused).
   */
  public static Counter writeRefused(String protocol, String reason) {
    return NbnetMeters.counter("nbnet.write.refused", "write API series or requests refused, by reason", "protocol", protocol,
      "reason", reason);
  }

  /** Samples of stored series left out: {@code out_of_bounds}. */
  public static Counter writeLeftOut(String protocol, String reason) {
    return NbnetMeters.counter("nbnet.write.samples.left.out", "write API samples not stored, by reason", "protocol", protocol,
      "reason", reason);
  }

  /** What the write APIs bring that nbnet does not take: {@code metadata}, {@code exemplars}, {@code histograms}. */
  public static Counter writeIgnored(String protocol, String kind) {
    return NbnetMeters.counter("nbnet.write.ignored", "write API entries nbnet does not take, by kind", "protocol", protocol, "kind", kind);
  }

  /** Rounds of a rule group this saver evaluated (it led). */
  public static Timer ruleGroupRounds(String group) {
    return NbnetMeters.timer("nbnet.rules.group.rounds", "rounds of a rule group this saver evaluated, and their time", "group", group);
  }

  /** Rounds skipped because the group's previous one was still running. */
  public static Counter ruleGroupMissed(String group) {
    return NbnetMeters.counter("nbnet.rules.group.missed", "rule group rounds skipped: the previous one still ran", "group", group);
  }

  /** Rules whose evaluation failed (query, labels, limit, storing). */
  public static Counter ruleFailures(String group) {
    return NbnetMeters.counter("nbnet.rules.failures", "rule evaluations that failed", "group", group);
  }

  /** Alerts posted to the Alertmanagers (each alert once per post, whatever the number of Alertmanagers). */
  public static Counter alertsSent() {
    return NbnetMeters.counter("nbnet.rules.alerts.sent", "alerts sent to Alertmanager");
  }
}
