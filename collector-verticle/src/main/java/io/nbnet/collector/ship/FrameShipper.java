package io.nbnet.collector.ship;

import io.nbnet.buffer.Outbox;
import io.nbnet.collector.metrics.CollectorMeters;
import io.nbnet.wire.ErrorKind;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.FrameLink;
import io.nbnet.wire.Replies;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Delivers the frames of a {@link Outbox} to the next hop and keeps each until that hop replied
 * {@code OK}: the shipper owns only the link and the window of frames in flight; waiting, spooling
 * and dropping are the buffer's. The link is re-established with exponential backoff; frames in
 * flight when it broke come back from the buffer first, in their order. A frame the next hop refuses
 * for good ({@code ERR invalid}, {@code ERR protocol}, {@code ERR refused}) goes to the dead letters
 * and never blocks the frames behind it. With several frames in flight, one sent again may already
 * have been stored; the saver's keyed rows make that harmless.
 */
public final class FrameShipper {

  private static final Logger log = Logger.getLogger(FrameShipper.class.getName());

  /**
   * A frame sent and not yet settled. Over the event bus replies may come back out of order: a frame
   * is settled when answered, but leaves the window (and is acknowledged to the buffer) only once
   * every frame before it is settled too.
   */
  private static final class InFlight {
    final Outbox.Taken frame;
    boolean settled;

    InFlight(Outbox.Taken frame) {
      this.frame = frame;
    }
  }

  private final Vertx vertx;
  private final FrameLink.Connector connector;
  private final String target;
  private final ShipperConfig options;
  private final Outbox buffer;
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  private final ShipperStats stats = new ShipperStats();
  private FrameLink link;
  private boolean connecting;
  private boolean taking;
  private int rewindsRunning;
  private long backoffMillis;
  private long reconnectTimer = -1;
  private boolean stopped;
  private boolean reportedDown;

  public FrameShipper(Vertx vertx, FrameLink.Connector connector, ShipperConfig options, Outbox buffer) {
    this.vertx = vertx;
    this.connector = connector;
    this.target = connector.describe();
    this.options = options;
    this.buffer = buffer;
    this.backoffMillis = options.initialBackoffMillis();
  }

  /** Starts sending what the buffer holds (frames an earlier run spooled come first). */
  public void start() {
    CollectorMeters.shipper(target, stats, buffer.stats());
    pump();
  }

  /** Queues one frame; the future fails when the buffer could not hold it (it logged and counted why). */
  public Future<Void> ship(Buffer payload) {
    if (stopped) {
      return Future.failedFuture(new IllegalStateException("the shipper to " + target + " is stopped"));
    }
    return buffer.push(payload).onComplete(ar -> pump());
  }

  public ShipperStats stats() {
    return stats;
  }

  public Outbox buffer() {
    return buffer;
  }

  /**
   * Stops sending. The buffer keeps what was not acknowledged: in its spool, when there is one, so a
   * SIGTERM loses nothing.
   */
  public Future<Void> stop() {
    stopped = true;
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
    }
    if (link != null) {
      link.close();
    }
    inFlight.clear();
    CollectorMeters.removeShipper(target);
    return buffer.close();
  }

  private void pump() {
    stats.setInFlight(inFlight.size());
    if (stopped || taking || rewindsRunning > 0) {
      return;
    }
    if (link == null) {
      if (buffer.hasWaiting()) {
        connectUnlessWaiting();
      }
      return;
    }
    int room = options.maxInFlight() - inFlight.size();
    if (room <= 0 || !buffer.hasWaiting()) {
      return;
    }
    taking = true;
    FrameLink sendOn = link;
    buffer.take(room).onComplete(ar -> {
      taking = false;
      if (ar.failed()) {
        log.warning("cannot read the frames for " + target + ": " + ar.cause().getMessage());
        return;
      }
      List<Outbox.Taken> batch = ar.result();
      if (sendOn != link) {
        rewind(Set.of()); // the link broke while the frames were read: they go back with the rest
        return;
      }
      batch.forEach(this::send);
      if (!batch.isEmpty()) {
        pump();
      }
    });
  }

  private void send(Outbox.Taken frame) {
    InFlight entry = new InFlight(frame);
    inFlight.add(entry);
    FrameLink sentOn = link;
    sentOn.send(frame.payload()).onComplete(reply -> onReply(sentOn, entry, reply));
    stats.addSent();
  }

  private void connectUnlessWaiting() {
    if (connecting || reconnectTimer >= 0) {
      return;
    }
    connecting = true;
    connector.connect().onComplete(ar -> {
      connecting = false;
      if (ar.succeeded()) {
        onConnected(ar.result());
      } else {
        onConnectionLost(ar.cause());
      }
    });
  }

  private void onConnected(FrameLink connected) {
    if (stopped) {
      connected.close();
      return;
    }
    link = connected;
    connected.closeListener(cause -> {
      if (link == connected) {
        onConnectionLost(cause);
      }
    });
    if (reportedDown) {
      reportedDown = false;
      log.info("connected to " + target + " again; sending the waiting frames");
    }
    pump();
  }

  private void onReply(FrameLink sentOn, InFlight entry, AsyncResult<Buffer> reply) {
    if (sentOn != link || entry.settled || !inFlight.contains(entry)) {
      return; // the link broke and the frame went back to the buffer
    }
    if (reply.failed()) {
      return; // the close listener rewinds everything in flight
    }
    if (Replies.isOk(reply.result())) {
      stats.addAcknowledged();
      backoffMillis = options.initialBackoffMillis();
      settle(entry);
      return;
    }
    FrameException error = Replies.toException(reply.result());
    if (error.kind() == ErrorKind.UNAVAILABLE || error.kind() == ErrorKind.INTERNAL) {
      // the hop is up but cannot store now: keep the frame and try again after a pause
      sentOn.close();
      return;
    }
    stats.addRejected();
    String reason = target + " refused the frame: " + error.kind().label() + ": " + error.getMessage();
    log.warning(reason + "; it goes to the dead letters, the frames behind it are sent on");
    buffer.deadLetter(entry.frame, reason);
    settle(entry);
  }

  /** Marks a frame done; the settled frames at the head of the window leave it, in order, and are acknowledged. */
  private void settle(InFlight entry) {
    entry.settled = true;
    int done = 0;
    while (!inFlight.isEmpty() && inFlight.peek().settled) {
      inFlight.poll();
      done++;
    }
    buffer.acknowledge(done);
    pump();
  }

  private void rewind(Set<Outbox.Taken> delivered) {
    rewindsRunning++;
    buffer.rewind(delivered).onComplete(ar -> {
      rewindsRunning--;
      pump();
    });
  }

  private void onConnectionLost(Throwable cause) {
    link = null;
    Set<Outbox.Taken> delivered = new HashSet<>();
    inFlight.stream().filter(entry -> entry.settled).forEach(entry -> delivered.add(entry.frame));
    inFlight.clear();
    rewind(delivered);
    if (stopped) {
      return;
    }
    if (!reportedDown) {
      reportedDown = true;
      log.warning("cannot deliver to " + target + " (" + cause.getMessage() + "); keeping "
        + (buffer.hasSpool() ? "frames in memory and the spool" : "frames in memory") + " and retrying");
    }
    stats.addRetry();
    reconnectTimer = vertx.setTimer(backoffMillis, id -> {
      reconnectTimer = -1;
      pump();
    });
    backoffMillis = Math.min(options.maxBackoffMillis(), backoffMillis * 2);
  }
}
