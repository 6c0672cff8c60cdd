package io.nbnet.trans;

import io.nbnet.support.config.Endpoint;
import io.nbnet.wire.ErrorKind;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.Replies;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Forwards each frame, unchanged, to the first saver of the list that takes it, and answers the
 * sender with that saver's {@code OK}. A saver that cannot be reached, or that answers
 * {@code ERR unavailable}, is skipped for a while and the next one is tried; when none can take the
 * frame the sender gets {@code ERR unavailable} and keeps it. A saver's {@code ERR invalid} goes
 * back to the sender as is: another saver would refuse it too.
 */
final class SaverFailover implements Forwarder {

  private static final Logger log = Logger.getLogger(SaverFailover.class.getName());

  private final List<SaverLink> links = new ArrayList<>();
  private final long downMillis;

  SaverFailover(Vertx vertx, NetClient netClient, TransConfig config) {
    for (Endpoint saver : config.savers()) {
      links.add(new SaverLink(vertx, netClient, saver, config.connectionsPerSaver(),
        config.server().maxFrameBytes(), config.replyTimeoutMillis()));
    }
    this.downMillis = config.downMillis();
  }

  /** Completes with the OK of the saver that stored the frame, or fails with the reason none did. */
  @Override
  public Future<Buffer> forward(Buffer payload) {
    Promise<Buffer> reply = Promise.promise();
    boolean anyUp = links.stream().anyMatch(link -> !link.isDown());
    attempt(payload, 0, anyUp, "no saver configured", reply);
    return reply.future();
  }

  /**
   * Forwards frames in order on one connection to the first saver that takes them all, and completes
   * with its replies; a frame a saver refuses for good is answered as such (it would fail anywhere).
   * Fails when no saver took them.
   */
  @Override
  public Future<List<Buffer>> forwardInOrder(List<Buffer> payloads) {
    Promise<List<Buffer>> done = Promise.promise();
    attemptBatch(payloads, 0, "no saver configured", done);
    return done.future();
  }

  private void attemptBatch(List<Buffer> payloads, int index, String lastProblem, Promise<List<Buffer>> done) {
    if (index == links.size()) {
      done.fail(FrameException.unavailable("no saver could take the frames, last problem: " + lastProblem, null));
      return;
    }
    SaverLink link = links.get(index);
    link.sendAll(payloads).onComplete(ar -> {
      if (ar.failed()) {
        markDown(link, ar.cause().getMessage());
        attemptBatch(payloads, index + 1, link.saver() + ": " + ar.cause().getMessage(), done);
        return;
      }
      for (Buffer reply : ar.result()) {
        if (!Replies.isOk(reply)) {
          FrameException error = Replies.toException(reply);
          if (error.kind() == ErrorKind.UNAVAILABLE) {
            markDown(link, error.getMessage());
            attemptBatch(payloads, index + 1, link.saver() + ": " + error.getMessage(), done);
            return;
          }
        }
      }
      done.complete(ar.result());
    });
  }

  @Override
  public void close() {
    links.forEach(SaverLink::close);
  }

  private void attempt(Buffer payload, int index, boolean skipDown, String lastProblem, Promise<Buffer> reply) {
    if (index == links.size()) {
      reply.fail(FrameException.unavailable("no saver could take the frame, last problem: " + lastProblem, null));
      return;
    }
    SaverLink link = links.get(index);
    if (skipDown && link.isDown()) {
      attempt(payload, index + 1, skipDown, link.saver() + " is marked down", reply);
      return;
    }
    link.send(payload).onComplete(ar -> {
      if (ar.failed()) {
        markDown(link, ar.cause().getMessage());
        attempt(payload, index + 1, skipDown, link.saver() + ": " + ar.cause().getMessage(), reply);
      } else if (Replies.isOk(ar.result())) {
        reply.complete(ar.result());
      } else {
        FrameException error = Replies.toException(ar.result());
        if (error.kind() == ErrorKind.UNAVAILABLE) {
          markDown(link, error.getMessage());
          attempt(payload, index + 1, skipDown, link.saver() + ": " + error.getMessage(), reply);
        } else {
          reply.fail(error);
        }
      }
    });
  }

  private void markDown(SaverLink link, String problem) {
    if (!link.isDown()) {
      log.warning("saver " + link.saver() + " cannot take frames (" + problem + "); skipping it for " + downMillis + " ms");
    }
    link.markDown(downMillis);
  }
}
