package io.nbnet.buffer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/** The meters of a {@link Outbox}, read from its thread-safe {@link BufferStats}. */
public final class BufferMeters {

  private BufferMeters() {
  }

  public static void register(MeterRegistry registry, Tags tags, BufferStats stats) {
    Gauge.builder("nbnet.queue.frames", stats, BufferStats::queued).description("frames waiting in memory").tags(tags).register(registry);
    Gauge.builder("nbnet.spool.frames", stats, BufferStats::spooled).description("frames waiting in the spool").tags(tags)
      .register(registry);
    FunctionCounter.builder("nbnet.frames.dropped", stats, BufferStats::dropped)
      .description("frames dropped because memory or the spool was full").tags(tags).register(registry);
    FunctionCounter.builder("nbnet.frames.dead_lettered", stats, BufferStats::deadLettered)
      .description("frames refused for good by the next hop, kept as dead letters").tags(tags).register(registry);
    Gauge.builder("nbnet.spool.dead_letters", stats, BufferStats::deadLetters)
      .description("dead letters the spool holds (refused frames and corrupt records)").tags(tags).register(registry);
    FunctionCounter.builder("nbnet.spool.corrupt", stats, BufferStats::corrupt)
      .description("spool records that failed their check (each became a dead letter)").tags(tags).register(registry);
  }
}
