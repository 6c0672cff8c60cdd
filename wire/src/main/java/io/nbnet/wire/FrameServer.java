package io.nbnet.wire;

import io.nbnet.wire.metrics.WireMeters;
import io.nbnet.wire.tls.CertificateWatch;
import io.netty.handler.ssl.NotSslRecordException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A TCP server speaking the frame protocol: every connection gets a {@link FrameConnection} that
 * parses requests, hands them to the {@link RequestHandler} and writes replies in request order. The
 * server bounds what all its connections may hold together (requests, bytes, connections) and
 * sweeps them regularly for the ones whose time limits have passed.
 */
public final class FrameServer {

  private static final Logger log = Logger.getLogger(FrameServer.class.getName());

  private final Vertx vertx;
  private final FrameServerConfig options;
  private final RequestHandler handler;
  private final String name;
  private final PendingLimit pending;
  private final FrameMemory memory;
  private final WireMeters meters;
  private final Set<FrameConnection> connections = new LinkedHashSet<>();
  private NetServer server;
  private CertificateWatch certificates;
  private long sweepTimer = -1;
  private long refusedConnections;
  private long handshakeFailures;

  public FrameServer(Vertx vertx, String name, FrameServerConfig options, RequestHandler handler) {
    this.vertx = vertx;
    this.name = name;
    this.options = options;
    this.handler = handler;
    this.pending = new PendingLimit(options.maxPendingTotal());
    this.memory = new FrameMemory(options.maxBytesInFlight());
    this.meters = new WireMeters(name);
  }

  public Future<FrameServer> listen() {
    NetServerOptions netOptions = new NetServerOptions()
      .setHost(options.host())
      .setPort(options.port())
      .setTcpNoDelay(true)
      .setReuseAddress(true);
    options.tls().ifPresent(tls -> tls.applyTo(netOptions));
    server = vertx.createNetServer(netOptions).connectHandler(this::onConnect);
    if (options.tls().isPresent()) {
      server.exceptionHandler(this::onHandshakeFailure);
    }
    meters.serverGauges(connections::size, memory::used);
    return server.listen().map(s -> {
      sweepTimer = vertx.setPeriodic(sweepPeriodMillis(), id -> sweep());
      options.tls().ifPresent(tls -> {
        certificates = new CertificateWatch(vertx, name, tls, server, meters);
        certificates.start();
      });
      log.info(() -> name + " listening on " + options.host() + ":" + s.actualPort()
        + options.tls().map(tls -> " with " + tls.describe()).orElse(""));
      return this;
    });
  }

  /** The bound port; differs from the configured one when that was 0. */
  public int actualPort() {
    return server.actualPort();
  }

  public Future<Void> close() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    if (certificates != null) {
      certificates.stop();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void onConnect(NetSocket socket) {
    FrameConnection connection = new FrameConnection(vertx, socket, options, handler, name, meters, pending, memory, connections::remove);
    if (connections.size() >= options.maxConnections()) {
      refusedConnections++;
      meters.closedTooMany();
      if (refusedConnections == 1 || refusedConnections % 1000 == 0) {
        log.warning(name + ": refused a connection from " + connection.peer() + ": " + options.maxConnections()
          + " connections are open (" + refusedConnections + " refused so far)");
      }
      connection.refuse("too many connections: " + options.maxConnections() + " are open");
      return;
    }
    connections.add(connection);
    connection.start();
  }

  /** A client that is not let in: plaintext on a TLS port, an unknown or revoked certificate, a handshake too slow. */
  private void onHandshakeFailure(Throwable failure) {
    handshakeFailures++;
    meters.handshakeFailure();
    if (handshakeFailures <= 10 || handshakeFailures % 1000 == 0) {
      Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
      // Netty's message for plaintext quotes the bytes received, which may hold a secret
      String why = cause instanceof NotSslRecordException ? "the client does not speak TLS" : String.valueOf(cause.getMessage());
      log.warning(name + ": refused a connection in the TLS handshake (" + handshakeFailures + " so far): "
        + (why.length() > 200 ? why.substring(0, 200) + "..." : why));
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    for (FrameConnection connection : List.copyOf(connections)) {
      connection.checkTimeouts(now);
    }
  }

  /** Often enough to notice the shortest limit within a quarter of it, at most once a second. */
  private long sweepPeriodMillis() {
    long shortest = Math.min(options.idleTimeoutMillis(), Math.min(options.idleBetweenFramesMillis(), options.frameDeadlineMillis()));
    return Math.max(10, Math.min(1_000, shortest / 4));
  }
}
