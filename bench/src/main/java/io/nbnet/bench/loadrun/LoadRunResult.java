package io.nbnet.bench.loadrun;

import io.vertx.core.json.JsonObject;

/**
 * The figures of a finished run. Throughput and latencies cover the measured window only (after
 * the warm-up); {@code totalReplies} counts every reply, warm-up included.
 */
public record LoadRunResult(int connections, int inFlight, double seconds, long requests, long errors, long totalReplies,
                            long p50Micros, long p99Micros, long p999Micros, long maxMicros) {

  public double requestsPerSecond() {
    return seconds > 0 ? requests / seconds : 0;
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("connections", connections)
      .put("inFlight", inFlight)
      .put("seconds", seconds)
      .put("requests", requests)
      .put("requestsPerSecond", Math.round(requestsPerSecond()))
      .put("errors", errors)
      .put("totalReplies", totalReplies)
      .put("latencyMicros", new JsonObject().put("p50", p50Micros).put("p99", p99Micros).put("p99.9", p999Micros).put("max", maxMicros));
  }

  public String toText() {
    return String.format("%d connection(s) x %d in flight, %.1f s measured: %,.0f requests/s, %,d requests, %d errors;"
        + " latency p50 %d us, p99 %d us, p99.9 %d us, max %d us",
      connections, inFlight, seconds, requestsPerSecond(), requests, errors, p50Micros, p99Micros, p999Micros, maxMicros);
  }
}
