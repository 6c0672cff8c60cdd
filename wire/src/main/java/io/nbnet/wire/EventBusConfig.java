package io.nbnet.wire;

import io.nbnet.support.config.ConfigView;

import java.util.Optional;

/**
 * {@code eventBus} (collector, trans, saver): in cluster mode frames travel as event-bus requests to
 * the savers' address instead of over TCP; the savers take them there.
 *
 * @param address the savers' address, {@value #DEFAULT_ADDRESS} unless set
 */
public record EventBusConfig(String address) {

  public static final String DEFAULT_ADDRESS = "nbnet.saver";

  /** The {@code eventBus} section of {@code component}, when its {@code enabled} is true. */
  public static Optional<EventBusConfig> from(ConfigView component) {
    ConfigView eventBus = component.section("eventBus");
    boolean enabled = eventBus.bool("enabled", false);
    String address = eventBus.string("address", DEFAULT_ADDRESS);
    return enabled ? Optional.of(new EventBusConfig(address)) : Optional.empty();
  }
}
