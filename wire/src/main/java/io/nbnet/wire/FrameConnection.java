package io.nbnet.wire;

import io.nbnet.support.metrics.NbnetMeters;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection of a {@link FrameServer}. Requests may be pipelined: they are handled
 * concurrently, and their replies are written strictly in request order; the replies ready while one
 * incoming chunk is parsed, or that complete in one event-loop task, go out in a single write. Past
 * {@code maxPendingPerConnection} unanswered requests, or while the peer does not read its replies,
 * the socket is paused. A protocol error, an invalid payload or a peer silent in the middle of a frame
 * gets one log line and an error reply, then the connection is closed.
 */
final class FrameConnection {

  private static final Logger log = Logger.getLogger(FrameConnection.class.getName());

  private final Vertx vertx;
  private final Context context;
  private final NetSocket socket;
  private final FrameServerOptions options;
  private final FrameHandler handler;
  private final String serverName;
  private final FrameParser parser;
  private final ArrayDeque<Future<Buffer>> pending = new ArrayDeque<>();
  private final FrameWriter writer;
  private final PendingLimit serverPending;
  private final Peer peer;
  private long idleTimer = -1;
  private boolean paused;
  private boolean closing;
  private boolean closed;

  FrameConnection(Vertx vertx, NetSocket socket, FrameServerOptions options, FrameHandler handler, String serverName,
                  PendingLimit serverPending) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.socket = socket;
    this.options = options;
    this.handler = handler;
    this.serverName = serverName;
    this.serverPending = serverPending;
    this.peer = Peer.of(socket.remoteAddress());
    this.parser = new FrameParser(options.maxFrameBytes(), this::onRequest, this::onProtocolError);
    this.writer = new FrameWriter(context, socket);
  }

  void start() {
    socket.handler(this::onData);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(this::onSocketError);
  }

  private void onData(Buffer chunk) {
    if (closing) {
      return;
    }
    cancelIdleTimer();
    writer.hold();
    parser.handle(chunk);
    writer.release();
    if (!closing && parser.isMidFrame()) {
      idleTimer = vertx.setTimer(options.idleTimeoutMillis(), id -> onIdleMidFrame());
    }
  }

  private void onRequest(Buffer payload) {
    if (closing) {
      return;
    }
    Future<Buffer> reply;
    try {
      reply = handler.handle(payload, peer);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    addPending(reply);
    if (reply.isComplete()) {
      writeCompletedReplies();
    } else {
      reply.onComplete(ar -> onConnectionContext(this::writeCompletedReplies));
    }
    updateReadState();
  }

  private void writeCompletedReplies() {
    while (!closed && !pending.isEmpty() && pending.peek().isComplete()) {
      Future<Buffer> reply = pending.poll();
      serverPending.decrement();
      if (reply.succeeded()) {
        writeReply(reply.result());
      } else {
        FrameException failure = asFrameException(reply.cause());
        if (failure.closesConnection()) {
          if (failure.kind() != ErrorKind.PROTOCOL) { // protocol errors were logged and counted when they were found
            NbnetMeters.counter("nbnet.protocol.errors", "frames refused, by kind", "server", serverName, "kind", failure.kind().label()).increment();
            log.warning(() -> serverName + ": " + failure.kind().label() + " request from " + socket.remoteAddress()
              + ", closing: " + failure.getMessage());
          }
          closeWithError(failure);
          return;
        }
        Level level = failure.kind() == ErrorKind.REFUSED ? Level.WARNING : Level.FINE;
        log.log(level, () -> serverName + ": " + failure.kind().label() + " reply to " + socket.remoteAddress()
          + ": " + failure.getMessage());
        writeReply(Replies.error(failure));
      }
    }
    updateReadState();
  }

  private void writeReply(Buffer payload) {
    writer.writeFrame(payload);
  }

  private void onProtocolError(ProtocolException error) {
    NbnetMeters.counter("nbnet.protocol.errors", "frames refused, by kind", "server", serverName, "kind", error.error().label()).increment();
    log.warning(() -> serverName + ": protocol error (" + error.error().label() + ") from " + socket.remoteAddress()
      + ", closing: " + error.getMessage());
    FrameException failure = new FrameException(ErrorKind.PROTOCOL, error.getMessage());
    // earlier requests still get their replies first, in order
    addPending(Future.failedFuture(failure));
    stopReading();
    writeCompletedReplies();
  }

  private void onIdleMidFrame() {
    idleTimer = -1;
    onProtocolError(new ProtocolException(ProtocolError.INCOMPLETE_FRAME,
      "incomplete frame: peer silent for " + options.idleTimeoutMillis() + " ms"));
  }

  private void closeWithError(FrameException failure) {
    stopReading();
    closed = true;
    clearPending();
    writer.writeFrame(Replies.error(failure));
    writer.flush().onComplete(ar -> socket.close());
  }

  private void stopReading() {
    closing = true;
    cancelIdleTimer();
    socket.pause();
  }

  void updateReadState() {
    if (closing) {
      return;
    }
    boolean mustPause = pending.size() >= options.maxPendingPerConnection() || socket.writeQueueFull()
      || serverPending.mustHold(this);
    if (mustPause && !paused) {
      paused = true;
      socket.pause();
      if (socket.writeQueueFull()) {
        socket.drainHandler(v -> updateReadState());
      }
    } else if (!mustPause && paused) {
      paused = false;
      socket.resume();
    }
  }

  private void addPending(Future<Buffer> reply) {
    pending.add(reply);
    serverPending.increment();
  }

  /** Requests whose replies can no longer be written no longer count against the server's limit. */
  private void clearPending() {
    for (int i = 0; i < pending.size(); i++) {
      serverPending.decrement();
    }
    pending.clear();
    serverPending.forget(this);
  }

  private void onConnectionContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private void onSocketError(Throwable error) {
    log.log(Level.FINE, serverName + ": socket error from " + socket.remoteAddress(), error);
  }

  private void onClosed() {
    closed = true;
    closing = true;
    cancelIdleTimer();
    clearPending();
  }

  private void cancelIdleTimer() {
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
  }

  private static FrameException asFrameException(Throwable cause) {
    if (cause instanceof FrameException) {
      return (FrameException) cause;
    }
    return new FrameException(ErrorKind.INTERNAL, String.valueOf(cause), cause);
  }
}
