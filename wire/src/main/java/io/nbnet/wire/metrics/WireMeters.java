package io.nbnet.wire.metrics;

import io.micrometer.core.instrument.Counter;
import io.nbnet.support.metrics.NbnetMeters;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** A frame server's meters, tagged with its name ({@code server}: saver, trans, ...). */
public final class WireMeters {

  private static final String CLOSED = "nbnet.connections.closed";
  private static final String CLOSED_HELP = "connections the server closed for idleness or over its limit";

  private final String server;
  private final Counter closedIdle;
  private final Counter closedTooMany;
  private final Counter handshakeFailures;
  private final Counter identityRefusals;
  private final Map<String, Counter> protocolErrors = new ConcurrentHashMap<>();

  public WireMeters(String server) {
    this.server = server;
    closedIdle = NbnetMeters.counter(CLOSED, CLOSED_HELP, "server", server, "reason", "idle");
    closedTooMany = NbnetMeters.counter(CLOSED, CLOSED_HELP, "server", server, "reason", "too_many");
    handshakeFailures = NbnetMeters.counter("nbnet.tls.handshake.failures", "connections refused during the TLS handshake", "server", server);
    identityRefusals = NbnetMeters.counter("nbnet.identity.refusals", "frames refused because the client certificate does not name their host",
      "server", server);
  }

  /** A connection closed for silence between frames. */
  public void closedIdle() {
    closedIdle.increment();
  }

  /** A connection refused: the server had its most already. */
  public void closedTooMany() {
    closedTooMany.increment();
  }

  public void handshakeFailure() {
    handshakeFailures.increment();
  }

  public void identityRefusal() {
    identityRefusals.increment();
  }

  /** A request refused for good, by the label of its error kind. */
  public void protocolError(String kind) {
    protocolErrors.computeIfAbsent(kind, k -> NbnetMeters.counter("nbnet.protocol.errors", "frames refused, by kind", "server", server,
      "kind", k)).increment();
  }

  /** The server's open connections and the payload bytes it holds. */
  public void serverGauges(Supplier<Number> connections, Supplier<Number> frameBytes) {
    NbnetMeters.gauge("nbnet.server.connections", "open connections", connections, "server", server);
    NbnetMeters.gauge("nbnet.server.frame.bytes", "payload bytes of frames held (partial, queued and in progress)", frameBytes, "server", server);
  }

  public void certificateExpiry(Supplier<Number> seconds) {
    NbnetMeters.gauge("nbnet.tls.certificate.expiry.seconds", "seconds until the served TLS certificate expires", seconds, "server", server);
  }
}
