package io.nbnet.trans;

import io.nbnet.wire.Peer;
import io.nbnet.support.metrics.NbnetMeters;
import io.nbnet.wire.ErrorKind;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.FrameHandler;
import io.nbnet.wire.Replies;
import io.nbnet.buffer.FrameSpool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Trans with a spool. While a saver takes frames, the sender's {@code OK} is the saver's (an OK
 * means stored in MySQL). When no saver can take a frame, it is written to trans's spool and the
 * sender gets {@code OK spooled} once the write is done: the frame is then on trans's disk, and
 * collectors and old agents, which retry forever, need not hold it. Spooled frames are replayed to
 * the savers in order (batches pipelined on one connection), as soon as one answers again; frames
 * arriving meanwhile go straight to a saver, so replayed frames may land after newer ones.
 */
final class SpoolingForwarder implements FrameHandler {

  private static final Logger log = Logger.getLogger(SpoolingForwarder.class.getName());
  private static final int REPLAY_BATCH = 64;
  private static final long MAX_REPLAY_BACKOFF_MILLIS = 30_000;

  private final Vertx vertx;
  private final SaverFailover savers;
  private final FrameSpool spool;
  private final WorkerExecutor spoolWorker;
  private boolean replaying;
  private boolean stopped;
  private long replayBackoffMillis = 500;
  private long replayTimer = -1;

  SpoolingForwarder(Vertx vertx, SaverFailover savers, FrameSpool spool, WorkerExecutor spoolWorker) {
    this.vertx = vertx;
    this.savers = savers;
    this.spool = spool;
    this.spoolWorker = spoolWorker;
    NbnetMeters.gauge("nbnet.spool.frames", "frames waiting in the spool", spool::pendingFrames, "target", "savers");
    NbnetMeters.gauge("nbnet.spool.dropped", "frames the full spool dropped", spool::droppedFrames, "target", "savers");
  }

  void start() {
    replaySoon(0);
  }

  Future<Void> stop() {
    stopped = true;
    if (replayTimer >= 0) {
      vertx.cancelTimer(replayTimer);
    }
    return spoolWorker.<Void>executeBlocking(() -> {
      spool.close();
      return null;
    });
  }

  @Override
  public Future<Buffer> handle(Buffer payload, Peer peer) {
    return savers.forward(payload).recover(failure -> {
      if (!(failure instanceof FrameException error) || error.kind() != ErrorKind.UNAVAILABLE || stopped) {
        return Future.failedFuture(failure);
      }
      return spoolWorker.executeBlocking(() -> spool.append(payload.getBytes())).compose(written -> {
        if (!written) {
          return Future.failedFuture(FrameException.unavailable("no saver can take the frame and the spool is full", null));
        }
        replaySoon(replayBackoffMillis);
        return Future.succeededFuture(Replies.ok("spooled"));
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
    spoolWorker.executeBlocking(() -> new Object[] {spool.read(REPLAY_BATCH), spool.epoch()}).onComplete(read -> {
      if (read.failed()) {
        replaying = false;
        log.warning("cannot read trans's spool: " + read.cause());
        replaySoon(MAX_REPLAY_BACKOFF_MILLIS);
        return;
      }
      @SuppressWarnings("unchecked")
      List<byte[]> frames = (List<byte[]>) read.result()[0];
      long epoch = (Long) read.result()[1];
      if (frames.isEmpty()) {
        replaying = false;
        return;
      }
      List<Buffer> payloads = new ArrayList<>();
      frames.forEach(frame -> payloads.add(Buffer.buffer(frame)));
      savers.forwardInOrder(payloads).onComplete(sent -> spoolWorker.executeBlocking(() -> {
        if (sent.succeeded()) {
          spool.acknowledge(frames.size(), epoch);
        } else {
          spool.rewind();
        }
        return spool.unreadFrames();
      }).onComplete(left -> {
        replaying = false;
        if (sent.succeeded()) {
          replayBackoffMillis = 500;
          if (left.succeeded() && left.result() > 0) {
            replaySoon(0);
          } else {
            log.info("trans's spool is drained");
          }
        } else {
          replayBackoffMillis = Math.min(MAX_REPLAY_BACKOFF_MILLIS, replayBackoffMillis * 2);
          replaySoon(replayBackoffMillis);
        }
      }));
    });
  }
}
