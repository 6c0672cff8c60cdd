package io.nbnet.collector.ship;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.nbnet.buffer.BufferMeters;
import io.nbnet.buffer.BufferStats;
import io.nbnet.support.metrics.NbnetMeters;

import java.util.List;

/** The meters of one shipper and its buffer, tagged with the next hop; removed when the shipper stops. */
final class ShipperMeters {

  private ShipperMeters() {
  }

  static void register(String target, ShipperStats shipper, BufferStats buffer) {
    MeterRegistry registry = NbnetMeters.registry();
    Tags tags = Tags.of("target", target);
    remove(target);
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

  static void remove(String target) {
    MeterRegistry registry = NbnetMeters.registry();
    for (Meter meter : List.copyOf(registry.getMeters())) {
      if (target.equals(meter.getId().getTag("target")) && meter.getId().getName().startsWith("nbnet.")) {
        registry.remove(meter);
      }
    }
  }
}
