package io.nbnet.collector.ship;

import io.nbnet.config.Endpoint;
import io.nbnet.protocol.ErrorKind;
import io.nbnet.protocol.FrameClient;
import io.nbnet.protocol.FrameException;
import io.nbnet.protocol.Replies;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.logging.Logger;

/**
 * Delivers frames to the next hop and keeps each one until that hop replied {@code OK}. Frames wait
 * in a bounded queue while the hop is away (the oldest is dropped, counted and logged when it is
 * full); the connection is re-established with exponential backoff, and frames that were in flight
 * when it broke are sent again, in their original order. With several frames in flight, one sent
 * again may already have been stored; the saver's row keys make that harmless.
 */
public final class FrameShipper {

  private static final Logger log = Logger.getLogger(FrameShipper.class.getName());

  private final Vertx vertx;
  private final NetClient netClient;
  private final Endpoint target;
  private final ShipperOptions options;
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private final ArrayDeque<Buffer> inFlight = new ArrayDeque<>();
  private final ShipperStats stats = new ShipperStats();
  private FrameClient client;
  private boolean connecting;
  private long backoffMillis;
  private long reconnectTimer = -1;
  private boolean stopped;
  private boolean reportedDown;

  public FrameShipper(Vertx vertx, NetClient netClient, Endpoint target, ShipperOptions options) {
    this.vertx = vertx;
    this.netClient = netClient;
    this.target = target;
    this.options = options;
    this.backoffMillis = options.initialBackoffMillis();
  }

  /** Queues one payload for delivery. */
  public void ship(Buffer payload) {
    if (queue.size() + inFlight.size() >= options.maxQueuedFrames() && !queue.isEmpty()) {
      queue.poll();
      stats.dropped++;
      if (stats.dropped == 1 || stats.dropped % 1000 == 0) {
        log.warning("queue for " + target + " is full (" + options.maxQueuedFrames() + " frames): dropped the oldest frame, "
          + stats.dropped + " dropped so far");
      }
    }
    queue.add(payload);
    pump();
  }

  public ShipperStats stats() {
    stats.queued = queue.size();
    stats.inFlight = inFlight.size();
    return stats;
  }

  public void stop() {
    stopped = true;
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
    }
    if (client != null) {
      client.close();
    }
  }

  private void pump() {
    if (stopped) {
      return;
    }
    if (client == null) {
      connectUnlessWaiting();
      return;
    }
    while (inFlight.size() < options.maxInFlight() && !queue.isEmpty()) {
      Buffer payload = queue.poll();
      inFlight.add(payload);
      FrameClient sentOn = client;
      client.send(payload).onComplete(reply -> onReply(sentOn, payload, reply));
      stats.sent++;
    }
  }

  private void connectUnlessWaiting() {
    if (connecting || reconnectTimer >= 0) {
      return;
    }
    connecting = true;
    FrameClient.connect(vertx, netClient, target.host(), target.port(), options.maxFrameBytes(), options.replyTimeoutMillis())
      .onComplete(ar -> {
        connecting = false;
        if (ar.succeeded()) {
          onConnected(ar.result());
        } else {
          onConnectionLost(ar.cause());
        }
      });
  }

  private void onConnected(FrameClient connected) {
    if (stopped) {
      connected.close();
      return;
    }
    client = connected;
    connected.closeListener(cause -> {
      if (client == connected) {
        onConnectionLost(cause);
      }
    });
    if (reportedDown) {
      reportedDown = false;
      log.info("connected to " + target + " again; resending " + queue.size() + " queued frames");
    }
    pump();
  }

  private void onReply(FrameClient sentOn, Buffer payload, AsyncResult<Buffer> reply) {
    if (sentOn != client || inFlight.peek() != payload) {
      return; // the connection broke and the frame was queued again
    }
    if (reply.failed()) {
      return; // the close listener requeues everything in flight
    }
    if (Replies.isOk(reply.result())) {
      inFlight.poll();
      stats.acknowledged++;
      backoffMillis = options.initialBackoffMillis();
      pump();
      return;
    }
    FrameException error = Replies.toException(reply.result());
    if (error.kind() == ErrorKind.UNAVAILABLE) {
      // the hop is up but cannot store now: keep the frame and try again after a pause
      sentOn.close();
      return;
    }
    inFlight.poll();
    stats.rejected++;
    log.warning(target + " rejected a frame, dropping it: " + error.kind().label() + ": " + error.getMessage());
    pump();
  }

  private void onConnectionLost(Throwable cause) {
    client = null;
    requeueInFlight();
    if (stopped) {
      return;
    }
    if (!reportedDown) {
      reportedDown = true;
      log.warning("cannot deliver to " + target + " (" + cause.getMessage() + "); keeping up to "
        + options.maxQueuedFrames() + " frames and retrying");
    }
    stats.retries++;
    reconnectTimer = vertx.setTimer(backoffMillis, id -> {
      reconnectTimer = -1;
      pump();
    });
    backoffMillis = Math.min(options.maxBackoffMillis(), backoffMillis * 2);
  }

  private void requeueInFlight() {
    for (Iterator<Buffer> it = inFlight.descendingIterator(); it.hasNext(); ) {
      queue.addFirst(it.next());
    }
    inFlight.clear();
  }
}
