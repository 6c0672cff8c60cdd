package io.nbnet.collector.ship;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nbnet.support.config.Endpoint;
import io.nbnet.support.metrics.NbnetMeters;
import io.nbnet.wire.ErrorKind;
import io.nbnet.wire.FrameClient;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.FrameLink;
import io.nbnet.wire.Replies;
import io.nbnet.buffer.FrameSpool;
import io.nbnet.buffer.SpoolOptions;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.logging.Logger;

/**
 * Delivers frames to the next hop and keeps each one until that hop replied {@code OK}. Frames wait
 * in memory, up to {@code maxQueuedFrames}; past that, with a spool configured, they go to disk
 * (and so does every newer frame until the spool is drained), otherwise the oldest is dropped,
 * counted and logged. The connection is re-established with exponential backoff; frames in flight
 * when it broke are sent again, in their original order. On stop, frames still in memory are
 * written to the spool, which the next start sends first. With several frames in flight, one sent
 * again may already have been stored; the saver's row keys make that harmless.
 */
public final class FrameShipper {

  private static final Logger log = Logger.getLogger(FrameShipper.class.getName());

  /**
   * A frame sent and not yet settled, and where it came from. Over the event bus replies may come
   * back out of order: a frame is settled when answered, but leaves the in-flight list (and the
   * spool's cursor moves) only once every frame before it is settled too.
   */
  private static final class InFlight {
    final Buffer frame;
    final boolean fromSpool;
    final long spoolEpoch;
    boolean settled;

    InFlight(Buffer frame, boolean fromSpool, long spoolEpoch) {
      this.frame = frame;
      this.fromSpool = fromSpool;
      this.spoolEpoch = spoolEpoch;
    }
  }

  private final Vertx vertx;
  private final FrameLink.Connector connector;
  private final String target;
  private final ShipperOptions options;
  private final SpoolOptions spoolOptions;
  private final ArrayDeque<Buffer> memory = new ArrayDeque<>();
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  private final ArrayDeque<InFlight> loadedFromSpool = new ArrayDeque<>();
  private final ShipperStats stats = new ShipperStats();
  private WorkerExecutor spoolWorker;
  private FrameSpool spool;
  private long spoolUnread;
  private int spoolAppendsRunning;
  private boolean spoolLoading;
  /** Bumped at every rewind: a read that started before it is stale. */
  private long readGeneration;
  private boolean spooling;
  private FrameLink client;
  private boolean connecting;
  private long backoffMillis;
  private long reconnectTimer = -1;
  private boolean stopped;
  private boolean reportedDown;

  /** Ships over TCP to {@code target}. */
  public FrameShipper(Vertx vertx, NetClient netClient, Endpoint target, ShipperOptions options, SpoolOptions spoolOptions) {
    this(vertx, FrameClient.connector(vertx, netClient, target.host(), target.port(), options.maxFrameBytes(), options.replyTimeoutMillis()),
      options, spoolOptions);
  }

  /** Ships over whatever links {@code connector} opens (TCP, or the event bus in a cluster). */
  public FrameShipper(Vertx vertx, FrameLink.Connector connector, ShipperOptions options, SpoolOptions spoolOptions) {
    this.vertx = vertx;
    this.connector = connector;
    this.target = connector.describe();
    this.options = options;
    this.spoolOptions = spoolOptions;
    this.backoffMillis = options.initialBackoffMillis();
  }

  /** Opens the spool, if any, and starts sending what it holds. */
  public Future<Void> start() {
    registerMeters();
    if (spoolOptions == null) {
      return Future.succeededFuture();
    }
    spoolWorker = vertx.createSharedWorkerExecutor("nbnet-spool-" + spoolOptions.folder(), 1);
    return spoolWorker.executeBlocking(() -> FrameSpool.open(spoolOptions)).map(opened -> {
      spool = opened;
      spoolUnread = opened.unreadFrames();
      spooling = spoolUnread > 0;
      pump();
      return null;
    });
  }

  private void registerMeters() {
    String[] tags = {"target", target};
    MeterRegistry registry = NbnetMeters.registry();
    FunctionCounter.builder("nbnet.frames.sent", stats, s -> s.sent).description("frames sent to the next hop").tags(tags).register(registry);
    FunctionCounter.builder("nbnet.frames.acknowledged", stats, s -> s.acknowledged).description("frames the next hop replied OK to")
      .tags(tags).register(registry);
    FunctionCounter.builder("nbnet.frames.retried", stats, s -> s.retries).description("reconnections to the next hop")
      .tags(tags).register(registry);
    FunctionCounter.builder("nbnet.frames.rejected", stats, s -> s.rejected).description("frames the next hop refused as invalid")
      .tags(tags).register(registry);
    FunctionCounter.builder("nbnet.frames.dropped", stats, s -> s.dropped + s.spoolDropped)
      .description("frames dropped because memory or the spool was full").tags(tags).register(registry);
    Gauge.builder("nbnet.spool.frames", stats, s -> s.spooled).description("frames waiting in the spool").tags(tags).register(registry);
    Gauge.builder("nbnet.queue.frames", stats, s -> s.queued).description("frames waiting in memory").tags(tags).register(registry);
  }

  /** Queues one payload for delivery. */
  public void ship(Buffer payload) {
    if (stopped) {
      return;
    }
    if (spool != null && (spooling || memory.size() >= options.maxQueuedFrames())) {
      if (!spooling) {
        spooling = true;
        log.warning(memory.size() + " frames for " + target + " wait in memory; newer ones go to the spool in " + spoolOptions.folder());
      }
      appendToSpool(List.of(payload));
      return;
    }
    if (memory.size() >= options.maxQueuedFrames()) {
      memory.poll();
      stats.dropped++;
      if (stats.dropped == 1 || stats.dropped % 1000 == 0) {
        log.warning("queue for " + target + " is full (" + options.maxQueuedFrames() + " frames): dropped the oldest frame, "
          + stats.dropped + " dropped so far");
      }
    }
    memory.add(payload);
    pump();
  }

  /** Counts, refreshed; read them on the shipper's event loop. */
  public ShipperStats stats() {
    stats.queued = memory.size();
    stats.inFlight = inFlight.size();
    stats.spooled = spool == null ? 0 : spoolUnread + countFromSpool(inFlight) + loadedFromSpool.size();
    stats.spoolDropped = spool == null ? 0 : spool.droppedFrames();
    return stats;
  }

  /**
   * Stops sending. Frames not yet acknowledged that live only in memory go to the spool (when there
   * is one) before the returned future completes, so a SIGTERM loses nothing.
   */
  public Future<Void> stop() {
    stopped = true;
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
    }
    if (client != null) {
      client.close();
    }
    List<Buffer> unsent = new ArrayList<>();
    inFlight.stream().filter(entry -> !entry.fromSpool && !entry.settled).forEach(entry -> unsent.add(entry.frame));
    unsent.addAll(memory);
    inFlight.clear();
    memory.clear();
    if (spool == null) {
      if (!unsent.isEmpty()) {
        log.warning(unsent.size() + " frames for " + target + " were not delivered and are lost: no spool is configured");
      }
      return Future.succeededFuture();
    }
    FrameSpool closing = spool;
    return spoolWorker.<Void>executeBlocking(() -> {
      unsent.forEach(frame -> closing.append(frame.getBytes()));
      closing.close();
      return null;
    }).onSuccess(v -> {
      if (!unsent.isEmpty()) {
        log.info(unsent.size() + " frames for " + target + " written to the spool on stop");
      }
    }).eventually(() -> spoolWorker.close());
  }

  private void appendToSpool(List<Buffer> frames) {
    spoolAppendsRunning++;
    FrameSpool destination = spool;
    spoolWorker.<Integer>executeBlocking(() -> {
      int written = 0;
      for (Buffer frame : frames) {
        written += destination.append(frame.getBytes()) ? 1 : 0;
      }
      return written;
    }).onComplete(ar -> {
      spoolAppendsRunning--;
      if (ar.succeeded()) {
        spoolUnread += ar.result();
      } else {
        stats.dropped += frames.size();
        log.warning("cannot write to the spool in " + spoolOptions.folder() + ", " + frames.size() + " frames lost: " + ar.cause());
      }
      pump();
    });
  }

  private void pump() {
    stats();
    if (stopped) {
      return;
    }
    if (client == null) {
      connectUnlessWaiting();
      return;
    }
    while (inFlight.size() < options.maxInFlight()) {
      InFlight next;
      if (!memory.isEmpty()) {
        next = new InFlight(memory.poll(), false, 0);
      } else if (!loadedFromSpool.isEmpty()) {
        next = loadedFromSpool.poll();
      } else {
        loadFromSpool();
        break;
      }
      send(next);
    }
  }

  private void send(InFlight entry) {
    inFlight.add(entry);
    FrameLink sentOn = client;
    client.send(entry.frame).onComplete(reply -> onReply(sentOn, entry, reply));
    stats.sent++;
  }

  private void loadFromSpool() {
    if (spool == null || spoolLoading) {
      return;
    }
    if (spoolUnread == 0) {
      if (spooling && spoolAppendsRunning == 0 && inFlight.isEmpty()) {
        spooling = false;
        log.info("spool for " + target + " is drained");
      }
      return;
    }
    spoolLoading = true;
    FrameSpool source = spool;
    int batch = Math.max(16, options.maxInFlight() * 2);
    long generation = readGeneration;
    spoolWorker.executeBlocking(() -> new Object[] {source.read(batch), source.epoch()}).onComplete(ar -> {
      spoolLoading = false;
      if (generation != readGeneration) {
        pump(); // the spool was rewound meanwhile: these frames will be read again
        return;
      }
      if (ar.failed()) {
        log.warning("cannot read the spool in " + spoolOptions.folder() + ": " + ar.cause());
        return;
      }
      @SuppressWarnings("unchecked")
      List<byte[]> frames = (List<byte[]>) ar.result()[0];
      long epoch = (Long) ar.result()[1];
      spoolUnread -= frames.size();
      frames.forEach(frame -> loadedFromSpool.add(new InFlight(Buffer.buffer(frame), true, epoch)));
      pump();
    });
  }

  private void connectUnlessWaiting() {
    if (connecting || reconnectTimer >= 0) {
      return;
    }
    connecting = true;
    connector.connect()
      .onComplete(ar -> {
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
    client = connected;
    connected.closeListener(cause -> {
      if (client == connected) {
        onConnectionLost(cause);
      }
    });
    if (reportedDown) {
      reportedDown = false;
      log.info("connected to " + target + " again; resending " + (memory.size() + spoolUnread) + " waiting frames");
    }
    pump();
  }

  private void onReply(FrameLink sentOn, InFlight entry, AsyncResult<Buffer> reply) {
    if (sentOn != client || entry.settled || !inFlight.contains(entry)) {
      return; // the connection broke and the frame was queued again
    }
    if (reply.failed()) {
      return; // the close listener requeues everything in flight
    }
    if (Replies.isOk(reply.result())) {
      stats.acknowledged++;
      backoffMillis = options.initialBackoffMillis();
      settle(entry);
      return;
    }
    FrameException error = Replies.toException(reply.result());
    if (error.kind() == ErrorKind.UNAVAILABLE) {
      // the hop is up but cannot store now: keep the frame and try again after a pause
      sentOn.close();
      return;
    }
    stats.rejected++;
    log.warning(target + " rejected a frame, dropping it: " + error.kind().label() + ": " + error.getMessage());
    settle(entry);
  }

  /** Marks a frame done; the settled frames at the head of the in-flight list leave it, in order. */
  private void settle(InFlight entry) {
    entry.settled = true;
    int spoolFrames = 0;
    long spoolEpoch = 0;
    while (!inFlight.isEmpty() && inFlight.peek().settled) {
      InFlight done = inFlight.poll();
      if (done.fromSpool) {
        spoolFrames++;
        spoolEpoch = done.spoolEpoch;
      }
    }
    if (spoolFrames > 0) {
      FrameSpool source = spool;
      int count = spoolFrames;
      long epoch = spoolEpoch;
      spoolWorker.executeBlocking(() -> {
        source.acknowledge(count, epoch);
        return null;
      });
    }
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
      log.warning("cannot deliver to " + target + " (" + cause.getMessage() + "); keeping "
        + (spool == null ? "up to " + options.maxQueuedFrames() + " frames in memory" : "frames in memory and the spool")
        + " and retrying");
    }
    stats.retries++;
    reconnectTimer = vertx.setTimer(backoffMillis, id -> {
      reconnectTimer = -1;
      pump();
    });
    backoffMillis = Math.min(options.maxBackoffMillis(), backoffMillis * 2);
  }

  /** Memory frames go back to the front of memory; spool frames are read again from the spool's cursor. */
  private void requeueInFlight() {
    boolean spoolFramesDropped = !loadedFromSpool.isEmpty();
    for (Iterator<InFlight> it = inFlight.descendingIterator(); it.hasNext(); ) {
      InFlight entry = it.next();
      if (entry.fromSpool) {
        spoolFramesDropped = true;
      } else if (!entry.settled) {
        memory.addFirst(entry.frame);
      }
    }
    inFlight.clear();
    if (spoolFramesDropped) {
      loadedFromSpool.clear();
      readGeneration++;
      FrameSpool source = spool;
      spoolWorker.executeBlocking(() -> {
        source.rewind();
        return source.unreadFrames();
      }).onSuccess(unread -> {
        spoolUnread = unread;
        pump();
      });
    }
  }

  private static long countFromSpool(ArrayDeque<InFlight> entries) {
    return entries.stream().filter(entry -> entry.fromSpool).count();
  }
}
