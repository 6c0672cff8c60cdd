package io.nbnet.forward;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nbnet.buffer.Outbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One target's meters: {@code nbnet_forward_samples_sent_total}, {@code nbnet_forward_dropped_total}
 * and {@code nbnet_forward_requests_failed_total} (retried) by reason, {@code nbnet_forward_pending_frames}
 * and {@code nbnet_forward_lag_seconds}; its queue's own meters are the buffer's, tagged with the target.
 */
final class ForwardMeters {

  private final MeterRegistry registry;
  private final String target;
  private final Counter sent;
  private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
  private final Map<String, Counter> failed = new ConcurrentHashMap<>();

  ForwardMeters(MeterRegistry registry, String target) {
    this.registry = registry;
    this.target = target;
    this.sent = Counter.builder("nbnet.forward.samples.sent").description("samples the target took (2xx)").tag("target", target)
      .register(registry);
  }

  /** @param queue the target's queue: its frames not delivered are pending; @param lagSeconds how far behind the newest sample sent is */
  void registerGauges(Outbox queue, Supplier<Number> lagSeconds) {
    Gauge.builder("nbnet.forward.pending.frames", queue::undelivered)
      .description("frames not yet delivered to the target: in memory, in its spool and in flight").tag("target", target)
      .register(registry);
    Gauge.builder("nbnet.forward.lag.seconds", lagSeconds).description("while frames wait: now minus the newest sample time delivered")
      .tag("target", target).register(registry);
  }

  void sent(int samples) {
    sent.increment(samples);
  }

  /** Samples (frames, for {@code legacy}, {@code invalid_frame} and {@code stopped}) that will never be sent, and why. */
  void dropped(String reason, long count) {
    dropped.computeIfAbsent(reason, r -> Counter.builder("nbnet.forward.dropped")
      .description("samples never to be sent (frames, for legacy, invalid_frame and stopped), by reason")
      .tag("target", target).tag("reason", r)
      .register(registry)).increment(count);
  }

  /** A request that failed and will be retried: {@code http_503}, {@code http_429}, {@code network}... */
  void failed(String reason) {
    failed.computeIfAbsent(reason, r -> Counter.builder("nbnet.forward.requests.failed")
      .description("requests that failed and are retried with back-off, by reason").tag("target", target).tag("reason", r)
      .register(registry)).increment();
  }
}
