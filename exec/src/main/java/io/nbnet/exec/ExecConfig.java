package io.nbnet.exec;

import io.nbnet.support.config.ConfigView;

/**
 * The limits of one exec service.
 *
 * @param name          what the service is called in meters and logs (stable across reloads)
 * @param address       the event-bus address it listens on
 * @param maxConcurrent commands running at once (the worker threads of the service)
 * @param maxQueued     commands waiting for a thread; past running + waiting a request is refused at once
 */
public record ExecConfig(String name, String address, int maxConcurrent, int maxQueued, long timeoutMillis, int maxOutputBytes) {

  public static ExecConfig from(ConfigView config, String name, String address) {
    return new ExecConfig(name, address,
      config.integer("maxConcurrent", 4, 1, 1024),
      config.integer("maxQueued", 16, 0, 100_000),
      config.longValue("timeoutMs", 10_000, 1, 86_400_000),
      config.integer("maxOutputBytes", 64 * 1024, 0, 64 * 1024 * 1024));
  }
}
