package io.nbnet.support.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.function.Supplier;

/**
 * nbnet's own meters, all named {@code nbnet.*} ({@code nbnet_*} on /metrics), in the registry
 * Vert.x's metrics use (Prometheus when the launcher enabled it); without Vert.x metrics they go to
 * Micrometer's global registry, where nothing reads them.
 */
public final class NbnetMeters {

  private NbnetMeters() {
  }

  public static MeterRegistry registry() {
    MeterRegistry vertxRegistry = BackendRegistries.getDefaultNow();
    return vertxRegistry != null ? vertxRegistry : Metrics.globalRegistry;
  }

  public static Counter counter(String name, String description, String... tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry());
  }

  public static Timer timer(String name, String description, String... tags) {
    return Timer.builder(name).description(description).tags(tags).publishPercentileHistogram(false).register(registry());
  }

  /** A gauge reading {@code value} whenever it is scraped; remove it when its source goes away. */
  public static Gauge gauge(String name, String description, Supplier<Number> value, String... tags) {
    return Gauge.builder(name, value).description(description).tags(tags).register(registry());
  }
}
