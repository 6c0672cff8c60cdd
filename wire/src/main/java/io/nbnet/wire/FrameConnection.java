package io.nbnet.wire;

import io.nbnet.wire.metrics.WireMeters;
import io.nbnet.wire.tls.PeerNames;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection of a {@link FrameServer}. Requests may be pipelined: they are handled
 * concurrently, and their replies are written strictly in request order; the replies ready while one
 * incoming chunk is parsed, or that complete in one event-loop task, go out in a single write.
 * <p>
 * Memory: each frame's stated length is reserved in the server's {@link FrameMemory} before its payload
 * is read, and held until its reply is written; a frame that does not fit there, or in this
 * connection's own share, pauses the connection until it does. Reading also pauses past
 * {@code maxPendingPerConnection} unanswered requests and while the peer does not read its replies.
 * <p>
 * Time: the server's sweep closes a peer silent in the middle of a frame, a frame that takes longer
 * than its deadline however its bytes trickle, and a connection silent between frames. Time spent
 * paused by the server counts for none of them. A protocol error, an invalid payload or a timeout
 * gets one log line and an error reply, then the connection is closed.
 */
final class FrameConnection implements FrameMemory.Waiter {

  private static final Logger log = Logger.getLogger(FrameConnection.class.getName());

  /** A request in progress and the bytes reserved for it. */
  private static final class Pending {
    final Future<Buffer> reply;
    final long reservedBytes;
    boolean delayed;

    Pending(Future<Buffer> reply, long reservedBytes) {
      this.reply = reply;
      this.reservedBytes = reservedBytes;
    }

    Future<Buffer> reply() {
      return reply;
    }

    long reservedBytes() {
      return reservedBytes;
    }

    boolean delayed() {
      return delayed;
    }

    void markDelayed() {
      delayed = true;
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final NetSocket socket;
  private final FrameServerConfig options;
  private final RequestHandler handler;
  private final String serverName;
  private final WireMeters meters;
  private final FrameParser parser;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final FrameWriter writer;
  private final PendingLimit serverPending;
  private final FrameMemory memory;
  private final Consumer<FrameConnection> onClose;
  private final Peer peer;
  /** Bytes reserved for the frame being read, handed to its request once the payload is complete. */
  private long readingReserved;
  /** Bytes reserved for this connection's frames (being read and in progress). */
  private long reservedBytes;
  /** The length of a frame waiting for room; -1 when none waits. */
  private long waitingFor = -1;
  private long lastReadNanos;
  private long frameStartNanos = -1;
  private long pausedAtNanos = -1;
  /** An 'ERR unavailable' reply is held until then, so a peer that resends at once resends once a second, not in a tight loop. */
  private long unavailableReplyTimer = -1;
  private boolean paused;
  private boolean closing;
  private boolean closed;

  FrameConnection(Vertx vertx, NetSocket socket, FrameServerConfig options, RequestHandler handler, String serverName, WireMeters meters,
                  PendingLimit serverPending, FrameMemory memory, Consumer<FrameConnection> onClose) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.socket = socket;
    this.options = options;
    this.handler = handler;
    this.serverName = serverName;
    this.meters = meters;
    this.serverPending = serverPending;
    this.memory = memory;
    this.onClose = onClose;
    this.peer = Peer.of(socket.remoteAddress(), PeerNames.of(socket));
    this.parser = new FrameParser(options.maxFrameBytes(), this::onRequest, this::onProtocolError).admission(this::admit);
    this.writer = new FrameWriter(context, socket);
    this.lastReadNanos = System.nanoTime();
  }

  void start() {
    // the socket's bytes as Netty read them: Vert.x would first copy each read into a buffer of its own
    ((NetSocketInternal) socket).messageHandler(this::onMessage);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(this::onSocketError);
  }

  Peer peer() {
    return peer;
  }

  /** Refuses a connection past the server's limit: an error reply, then the connection is closed. */
  void refuse(String reason) {
    closeWithError(FrameException.unavailable(reason, null));
  }

  /** Called by the server's sweep: closes the connection when one of its time limits has passed. */
  void checkTimeouts(long nowNanos) {
    if (closing || paused) {
      return;
    }
    long silentMillis = TimeUnit.NANOSECONDS.toMillis(nowNanos - lastReadNanos);
    if (parser.isMidFrame() && silentMillis >= options.idleTimeoutMillis()) {
      onProtocolError(new ProtocolException(ProtocolError.INCOMPLETE_FRAME,
        "incomplete frame: peer silent for " + options.idleTimeoutMillis() + " ms"));
    } else if (frameStartNanos >= 0 && TimeUnit.NANOSECONDS.toMillis(nowNanos - frameStartNanos) >= options.frameDeadlineMillis()) {
      onProtocolError(new ProtocolException(ProtocolError.SLOW_FRAME,
        "frame not complete within " + options.frameDeadlineMillis() + " ms"));
    } else if (!parser.isMidFrame() && pending.isEmpty() && silentMillis >= options.idleBetweenFramesMillis()) {
      meters.closedIdle();
      log.fine(() -> serverName + ": closing " + peer + ", silent between frames for " + silentMillis + " ms");
      closing = true;
      closed = true;
      clearPending();
      socket.close();
    }
  }

  private void onMessage(Object message) {
    if (!(message instanceof ByteBuf bytes)) {
      ReferenceCountUtil.release(message);
      return;
    }
    try {
      onData(BufferInternal.buffer(bytes));
    } finally {
      bytes.release();
    }
  }

  /** The parser keeps nothing of the chunk (it copies what it must keep), so it can be released after. */
  private void onData(Buffer chunk) {
    if (closing) {
      return;
    }
    lastReadNanos = System.nanoTime();
    if (frameStartNanos < 0) {
      frameStartNanos = lastReadNanos;
    }
    writer.hold();
    parser.handle(chunk);
    writer.release();
    if (!parser.isMidFrame() && waitingFor < 0) {
      frameStartNanos = -1;
    }
  }

  /** The parser's admission check: reserves the frame's bytes, or pauses until they can be. */
  private boolean admit(long length) {
    if (reservedBytes + length <= options.maxBytesPerConnection() && memory.tryReserve(length)) {
      reserve(length);
      return true;
    }
    waitingFor = length;
    pause();
    if (reservedBytes + length <= options.maxBytesPerConnection()) {
      memory.await(this, length);
    }
    return false;
  }

  /** The server's memory found room for the frame this connection waits for. */
  @Override
  public void granted() {
    if (closed) {
      memory.release(waitingFor);
      return;
    }
    reserve(waitingFor);
    waitingFor = -1;
    resumeParsing();
  }

  private void reserve(long length) {
    readingReserved = length;
    reservedBytes += length;
  }

  /** This connection's own share has room again: ask the server's memory for the waiting frame. */
  private void retryWaitingFrame() {
    if (waitingFor < 0 || closing || reservedBytes + waitingFor > options.maxBytesPerConnection()) {
      return;
    }
    if (memory.tryReserve(waitingFor)) {
      granted();
    } else {
      memory.await(this, waitingFor);
    }
  }

  private void resumeParsing() {
    frameStartNanos = System.nanoTime();
    updateReadState();
    writer.hold();
    parser.resume();
    writer.release();
  }

  private void onRequest(Buffer payload) {
    long reserved = readingReserved;
    readingReserved = 0;
    frameStartNanos = -1;
    if (closing) {
      reservedBytes -= reserved;
      memory.release(reserved);
      return;
    }
    Future<Buffer> reply;
    try {
      reply = handler.handle(payload, peer);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    addPending(reply, reserved);
    if (reply.isComplete()) {
      writeCompletedReplies();
    } else {
      reply.onComplete(ar -> onConnectionContext(this::writeCompletedReplies));
    }
    updateReadState();
  }

  private void writeCompletedReplies() {
    while (!closed && unavailableReplyTimer < 0 && !pending.isEmpty() && pending.peek().reply().isComplete()) {
      if (mustHoldUnavailableReply(pending.peek())) {
        return;
      }
      Pending done = pending.poll();
      settle(done);
      Future<Buffer> reply = done.reply();
      if (reply.succeeded()) {
        writer.writeFrame(reply.result());
      } else {
        FrameException failure = asFrameException(reply.cause());
        if (failure.closesConnection()) {
          if (failure.kind() != ErrorKind.PROTOCOL) { // protocol errors were logged and counted when they were found
            meters.protocolError(failure.kind().label());
            log.warning(() -> serverName + ": " + failure.kind().label() + " request from " + peer + ", closing: " + failure.getMessage());
          }
          closeWithError(failure);
          return;
        }
        Level level = failure.kind() == ErrorKind.REFUSED ? Level.WARNING : Level.FINE;
        log.log(level, () -> serverName + ": " + failure.kind().label() + " reply to " + peer + ": " + failure.getMessage());
        writer.writeFrame(Replies.error(failure));
      }
    }
    retryWaitingFrame();
    updateReadState();
  }

  /**
   * Old agents resend a frame the moment they get anything but OK: an 'ERR unavailable' (MySQL or every
   * saver away) goes out after {@code unavailableReplyDelayMillis}, and the replies behind it wait too.
   */
  private boolean mustHoldUnavailableReply(Pending head) {
    if (options.unavailableReplyDelayMillis() <= 0 || head.delayed() || head.reply().succeeded()
      || asFrameException(head.reply().cause()).kind() != ErrorKind.UNAVAILABLE) {
      return false;
    }
    head.markDelayed();
    unavailableReplyTimer = vertx.setTimer(options.unavailableReplyDelayMillis(), id -> {
      unavailableReplyTimer = -1;
      writeCompletedReplies();
    });
    return true;
  }

  private void onProtocolError(ProtocolException error) {
    meters.protocolError(error.error().label());
    log.warning(() -> serverName + ": protocol error (" + error.error().label() + ") from " + peer + ", closing: " + error.getMessage());
    FrameException failure = new FrameException(ErrorKind.PROTOCOL, error.getMessage());
    // earlier requests still get their replies first, in order
    addPending(Future.failedFuture(failure), 0);
    stopReading();
    writeCompletedReplies();
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
    socket.pause();
  }

  private void pause() {
    if (!paused) {
      paused = true;
      pausedAtNanos = System.nanoTime();
      socket.pause();
    }
  }

  /** The time a connection spent paused by the server counts against none of its time limits. */
  private void unpause() {
    if (paused) {
      paused = false;
      long pausedFor = System.nanoTime() - pausedAtNanos;
      lastReadNanos += pausedFor;
      if (frameStartNanos >= 0) {
        frameStartNanos += pausedFor;
      }
      socket.resume();
    }
  }

  void updateReadState() {
    if (closing) {
      return;
    }
    boolean mustPause = waitingFor >= 0 || pending.size() >= options.maxPendingPerConnection() || socket.writeQueueFull()
      || serverPending.mustHold(this);
    if (mustPause) {
      pause();
      if (socket.writeQueueFull()) {
        socket.drainHandler(v -> updateReadState());
      }
    } else {
      unpause();
    }
  }

  private void addPending(Future<Buffer> reply, long reserved) {
    pending.add(new Pending(reply, reserved));
    serverPending.increment();
  }

  private void settle(Pending done) {
    serverPending.decrement();
    reservedBytes -= done.reservedBytes();
    memory.release(done.reservedBytes());
  }

  /** Requests whose replies can no longer be written no longer count against the server's limits. */
  private void clearPending() {
    while (!pending.isEmpty()) {
      settle(pending.poll());
    }
    serverPending.forget(this);
    memory.forget(this);
    if (readingReserved > 0) {
      reservedBytes -= readingReserved;
      memory.release(readingReserved);
      readingReserved = 0;
    }
    waitingFor = -1;
  }

  private void onConnectionContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private void onSocketError(Throwable error) {
    log.log(Level.FINE, serverName + ": socket error from " + peer, error);
  }

  private void onClosed() {
    closing = true;
    if (unavailableReplyTimer >= 0) {
      vertx.cancelTimer(unavailableReplyTimer);
      unavailableReplyTimer = -1;
    }
    if (!closed) {
      closed = true;
      clearPending();
    }
    onClose.accept(this);
  }

  private static FrameException asFrameException(Throwable cause) {
    if (cause instanceof FrameException) {
      return (FrameException) cause;
    }
    return new FrameException(ErrorKind.INTERNAL, String.valueOf(cause), cause);
  }
}
