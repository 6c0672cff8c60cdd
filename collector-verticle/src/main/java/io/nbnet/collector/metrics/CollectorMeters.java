package io.nbnet.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.nbnet.buffer.BufferMeters;
import io.nbnet.buffer.BufferStats;
import io.nbnet.collector.plugin.PluginStats;
import io.nbnet.collector.ship.ShipperStats;
import io.nbnet.support.metrics.NbnetMeters;

import java.util.List;

/** The collector's meters, each name written once. */
public final class CollectorMeters {

  private CollectorMeters() {
  }

  /** Samples collected from /proc and the JDK. */
  public static Counter samples() {
    return NbnetMeters.counter("nbnet.collector.samples", "samples collected from /proc and the JDK");
  }

  public static Counter sourceErrors(String source) {
    return NbnetMeters.counter("nbnet.collector.source.errors", "samplings of a source that failed", "source", source);
  }

  public static Timer sourceDuration(String source) {
    return NbnetMeters.timer("nbnet.collector.source.duration", "time a source takes to sample", "source", source);
  }

  /** Samples pushed by applications in {@code format} and queued. */
  public static Counter pushedSamples(String format) {
    return NbnetMeters.counter("nbnet.collector.push.samples", "samples pushed by applications and queued", "format", format);
  }

  public static Counter pushRefused(String format, String reason) {
    return NbnetMeters.counter("nbnet.collector.push.refused", "push requests refused", "format", format, "reason", reason);
  }

  /** Lines that could not be read ({@code unparsable}) or samples out of time ({@code out_of_bounds}) left out of a push the rest of which was kept. */
  public static Counter pushDropped(String format, String reason) {
    return NbnetMeters.counter("nbnet.collector.push.dropped", "lines or samples left out of pushes whose rest was kept", "format", format,
      "reason", reason);
  }

  /** A plugin's counters, read from its stats; remove them when it stops. */
  public static List<Meter> plugin(String name, PluginStats stats) {
    MeterRegistry registry = NbnetMeters.registry();
    Tags tags = Tags.of("plugin", name);
    return List.of(
      FunctionCounter.builder("nbnet.plugin.runs", stats, PluginStats::runs).description("plugin runs started").tags(tags).register(registry),
      FunctionCounter.builder("nbnet.plugin.skipped", stats, PluginStats::skipped)
        .description("ticks skipped: the previous run was still going").tags(tags).register(registry),
      FunctionCounter.builder("nbnet.plugin.failures", stats, PluginStats::failures)
        .description("failed runs: non-zero exit, timeout, unreadable lines").tags(tags).register(registry),
      FunctionCounter.builder("nbnet.plugin.timeouts", stats, PluginStats::timeouts).description("runs killed at their timeout")
        .tags(tags).register(registry),
      FunctionCounter.builder("nbnet.plugin.samples", stats, PluginStats::samples).description("samples read from plugin output")
        .tags(tags).register(registry));
  }

  /** The meters of one shipper and its buffer, tagged with the next hop (those of an earlier shipper to it are replaced). */
  public static void shipper(String target, ShipperStats shipper, BufferStats buffer) {
    MeterRegistry registry = NbnetMeters.registry();
    Tags tags = Tags.of("target", target);
    removeShipper(target);
    FunctionCounter.builder("nbnet.frames.sent", shipper, ShipperStats::sent).description("frames sent to the next hop").tags(tags)
      .register(registry);
    FunctionCounter.builder("nbnet.frames.acknowledged", shipper, ShipperStats::acknowledged).description("frames the next hop replied OK to")
      .tags(tags).register(registry);
    FunctionCounter.builder("nbnet.frames.retried", shipper, ShipperStats::retries).description("reconnections to the next hop")
      .tags(tags).register(registry);
    FunctionCounter.builder("nbnet.frames.rejected", shipper, ShipperStats::rejected)
      .description("frames the next hop refused for good (sent to the dead letters)").tags(tags).register(registry);
    BufferMeters.register(registry, tags, buffer);
  }

  /** Takes a stopped shipper's meters off the registry. */
  public static void removeShipper(String target) {
    MeterRegistry registry = NbnetMeters.registry();
    for (Meter meter : List.copyOf(registry.getMeters())) {
      if (target.equals(meter.getId().getTag("target")) && meter.getId().getName().startsWith("nbnet.")) {
        registry.remove(meter);
      }
    }
  }
}
