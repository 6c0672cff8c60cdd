package io.nbnet.trans;

import io.nbnet.buffer.Outbox;
import io.nbnet.formats.PayloadHosts;
import io.nbnet.wire.ErrorKind;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.Peer;
import io.nbnet.wire.Replies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Trans with a spool. While a saver takes frames, the sender's {@code OK} is the saver's (an OK
 * means stored in MySQL). When no saver can take a frame, it is written to trans's spool and the
 * sender gets {@code OK spooled} once the write is done: the frame is then on trans's disk, and
 * collectors and old agents, which retry forever, need not hold it. Spooled frames are replayed to
 * the savers in order (batches pipelined on one connection), as soon as one answers again; a frame a
 * saver refuses for good goes to the dead letters instead of blocking the ones behind it. Frames
 * arriving meanwhile go straight to a saver, so replayed frames may land after newer ones.
 */
final class SpoolingForwarder implements Relay {

  private static final Logger log = Logger.getLogger(SpoolingForwarder.class.getName());
  private static final int REPLAY_BATCH = 64;
  private static final long FIRST_REPLAY_BACKOFF_MILLIS = 500;
  private static final long MAX_REPLAY_BACKOFF_MILLIS = 30_000;

  private final Vertx vertx;
  private final Forwarder savers;
  private final Outbox spool;
  private boolean replaying;
  private boolean stopped;
  private long replayBackoffMillis = FIRST_REPLAY_BACKOFF_MILLIS;
  private long replayTimer = -1;

  SpoolingForwarder(Vertx vertx, Forwarder savers, Outbox spool) {
    this.vertx = vertx;
    this.savers = savers;
    this.spool = spool;
  }

  void start() {
    replaySoon(0);
  }

  Future<Void> stop() {
    stopped = true;
    if (replayTimer >= 0) {
      vertx.cancelTimer(replayTimer);
    }
    return spool.close();
  }

  @Override
  public Future<Buffer> handle(Buffer payload, Peer peer) {
    return spoolWhenUnavailable(payload, savers.forward(payload));
  }

  @Override
  public Future<Buffer> handle(PayloadHosts hosts, Buffer payload, Peer peer) {
    return spoolWhenUnavailable(payload, savers.forward(payload, hosts));
  }

  private Future<Buffer> spoolWhenUnavailable(Buffer payload, Future<Buffer> forwarded) {
    return forwarded.recover(failure -> {
      if (!(failure instanceof FrameException error) || error.kind() != ErrorKind.UNAVAILABLE || stopped) {
        return Future.failedFuture(failure);
      }
      return spool.push(payload)
        .recover(refused -> Future.failedFuture(FrameException.unavailable("no saver can take the frame and the spool refused it: "
          + refused.getMessage(), refused)))
        .map(v -> {
          replaySoon(replayBackoffMillis);
          return Replies.ok("spooled");
        });
    });
  }

  private void replaySoon(long delayMillis) {
    if (replaying || replayTimer >= 0 || stopped) {
      return;
    }
    replayTimer = vertx.setTimer(Math.max(1, delayMillis), id -> {
      replayTimer = -1;
      replayBatch();
    });
  }

  private void replayBatch() {
    if (stopped) {
      return;
    }
    replaying = true;
    spool.take(REPLAY_BATCH).onComplete(read -> {
      if (read.failed()) {
        replaying = false;
        log.warning("cannot read trans's spool: " + read.cause().getMessage());
        replaySoon(MAX_REPLAY_BACKOFF_MILLIS);
        return;
      }
      List<Outbox.Taken> frames = read.result();
      if (frames.isEmpty()) {
        replaying = false;
        return;
      }
      savers.forwardInOrder(frames.stream().map(Outbox.Taken::payload).toList()).onComplete(sent -> {
        if (sent.succeeded()) {
          settle(frames, sent.result());
        } else if (frames.size() > 1) {
          // a saver closes the connection after refusing a frame for good, which fails the frames sent behind
          // it: one at a time, that frame gets its answer (and becomes a dead letter) and the rest go on
          replayOneByOne(frames, new ArrayList<>());
        } else {
          cannotReplay(sent.cause());
        }
      });
    });
  }

  private void replayOneByOne(List<Outbox.Taken> frames, List<Buffer> replies) {
    if (replies.size() == frames.size()) {
      settle(frames, replies);
      return;
    }
    savers.forwardInOrder(List.of(frames.get(replies.size()).payload())).onComplete(sent -> {
      if (sent.succeeded()) {
        replies.add(sent.result().get(0));
        replayOneByOne(frames, replies);
      } else {
        // the answered ones are done with; the rest come back on the next try
        deadLetterRefused(frames, replies);
        spool.acknowledge(replies.size());
        cannotReplay(sent.cause());
      }
    });
  }

  private void cannotReplay(Throwable cause) {
    Level level = replayBackoffMillis == FIRST_REPLAY_BACKOFF_MILLIS ? Level.WARNING : Level.FINE;
    log.log(level, () -> "cannot replay trans's spool yet (" + cause.getMessage() + "); trying again with back-off");
    spool.rewind(Set.of()).onComplete(v -> retryLater());
  }

  /** Every frame was answered: the refused ones become dead letters, all are acknowledged. */
  private void settle(List<Outbox.Taken> frames, List<Buffer> replies) {
    deadLetterRefused(frames, replies);
    spool.acknowledge(frames.size());
    replaying = false;
    replayBackoffMillis = FIRST_REPLAY_BACKOFF_MILLIS;
    if (spool.hasWaiting()) {
      replaySoon(0);
    } else {
      log.info("trans's spool is drained");
    }
  }

  /** The frames of the first {@code replies} a saver refused for good go to the dead letters. */
  private void deadLetterRefused(List<Outbox.Taken> frames, List<Buffer> replies) {
    for (int i = 0; i < replies.size(); i++) {
      if (!Replies.isOk(replies.get(i))) {
        FrameException error = Replies.toException(replies.get(i));
        String reason = "a saver refused the spooled frame: " + error.kind().label() + ": " + error.getMessage();
        log.warning(reason + "; it goes to the dead letters");
        spool.deadLetter(frames.get(i), reason);
      }
    }
  }

  private void retryLater() {
    replaying = false;
    replayBackoffMillis = Math.min(MAX_REPLAY_BACKOFF_MILLIS, replayBackoffMillis * 2);
    replaySoon(replayBackoffMillis);
  }
}
