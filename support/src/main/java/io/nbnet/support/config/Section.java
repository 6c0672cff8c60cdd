package io.nbnet.support.config;

import io.vertx.core.json.JsonObject;

import java.util.function.Function;

/**
 * A component's section of the configuration as one parse made it: the typed view the component works
 * with, and the JSON it was read from, which names the keys a reload changed. The launcher parses the
 * file once (and once per change of it) and hands each component its section.
 */
public record Section<T>(T config, JsonObject json) {

  /** Reads {@code json} with {@code reader}, refusing keys it did not ask for (for tests and tools that have one section). */
  public static <T> Section<T> parse(JsonObject json, String path, Function<ConfigView, T> reader) {
    return new Section<>(ConfigView.parse(json, path, reader), json);
  }
}
