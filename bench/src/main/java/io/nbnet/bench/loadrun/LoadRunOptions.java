package io.nbnet.bench.loadrun;

import io.vertx.core.buffer.Buffer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What a load run does.
 *
 * @param inFlight     requests outstanding per connection; 1 is strict request/response
 * @param expectPrefix a reply must start with this to count as a success; null accepts any well-framed reply
 * @param threads      client event loops
 */
public record LoadRunOptions(String host, int port, int connections, int inFlight, Duration duration, Duration warmup,
                             Buffer payload, String expectPrefix, Duration replyTimeout, int threads, int maxFrameBytes,
                             Optional<Path> tlsCa) {

  /** Plaintext. */
  public LoadRunOptions(String host, int port, int connections, int inFlight, Duration duration, Duration warmup, Buffer payload,
                        String expectPrefix, Duration replyTimeout, int threads, int maxFrameBytes) {
    this(host, port, connections, inFlight, duration, warmup, payload, expectPrefix, replyTimeout, threads, maxFrameBytes, Optional.empty());
  }

  public LoadRunOptions {
    if (connections < 1 || inFlight < 1 || threads < 1) {
      throw new IllegalArgumentException("connections, in-flight and threads must be at least 1");
    }
    if (payload.length() < 1) {
      throw new IllegalArgumentException("the payload must not be empty");
    }
  }
}
