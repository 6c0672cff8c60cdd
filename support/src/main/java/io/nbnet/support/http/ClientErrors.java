package io.nbnet.support.http;

import io.micrometer.core.instrument.Counter;
import io.nbnet.support.logging.OncePerInterval;
import io.nbnet.support.metrics.NbnetMeters;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * A port's clients' mistakes and misbehaviour: each counted by kind
 * ({@code nbnet_http_client_errors_total{port, kind}}) and logged at most once per interval and kind,
 * with how many were not logged since. Never a stack trace: a client's error is not the server's.
 */
public final class ClientErrors {

  private static final Logger log = Logger.getLogger(ClientErrors.class.getName());
  private static final long LOG_INTERVAL_MILLIS = 60_000;

  private final String port;
  private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

  /** @param port the port's name in logs and meters: {@code api}, {@code push}, {@code monitor} */
  public ClientErrors(String port) {
    this.port = port;
  }

  /** Counts one error of {@code kind} and logs it unless one of its kind was logged within the interval. */
  public void report(String kind, String detail) {
    Kind counted = kinds.computeIfAbsent(kind, k -> new Kind(NbnetMeters.counter("nbnet.http.client.errors",
      "requests and connections refused for the client's mistake or misbehaviour", "port", port, "kind", k)));
    counted.meter.increment();
    counted.logged.count().ifPresent(since -> log.warning(port + " port: " + detail
      + (since > 1 ? " (" + (since - 1) + " more " + kind + " since the last report)" : "")
      + "; reported at most once a minute, counted in nbnet_http_client_errors_total{kind=\"" + kind + "\"}"));
  }

  private record Kind(Counter meter, OncePerInterval logged) {
    Kind(Counter meter) {
      this(meter, new OncePerInterval(LOG_INTERVAL_MILLIS));
    }
  }
}
