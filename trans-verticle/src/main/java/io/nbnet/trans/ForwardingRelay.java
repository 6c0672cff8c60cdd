package io.nbnet.trans;

import io.nbnet.formats.PayloadHosts;
import io.nbnet.wire.Peer;
import io.nbnet.wire.Replies;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Trans with remote write targets: a frame the savers took (OK, or OK spooled) is queued for every
 * target before the sender gets its OK, so a frame answered OK is held by every target's queue too; a
 * frame the savers refused is not handed on. The targets' queues never fail a frame: what they refuse
 * they count.
 * <p>
 * A connection's frames are handed on in the order they came, whatever order the savers answer them
 * in (several links, several savers): a target takes each series in time order, and a sample behind
 * its series' last sent one could only be dropped. Connections do not wait for each other.
 */
final class ForwardingRelay implements Relay {

  private final Relay savers;
  private final Function<Buffer, Future<Void>> targets;
  /** Per connection with frames on their way, the hand-on of its newest frame; guarded by itself. */
  private final Map<Peer, Turn> turns = new HashMap<>();

  /** @param targets queues a frame for every target (never fails: what a target refuses it counts) */
  ForwardingRelay(Relay savers, Function<Buffer, Future<Void>> targets) {
    this.savers = savers;
    this.targets = targets;
  }

  @Override
  public Future<Buffer> handle(Buffer payload, Peer peer) {
    return inTurn(peer, payload, savers.handle(payload, peer));
  }

  @Override
  public Future<Buffer> handle(PayloadHosts hosts, Buffer payload, Peer peer) {
    return inTurn(peer, payload, savers.handle(hosts, payload, peer));
  }

  private static final class Turn {
    Future<Void> newest = Future.succeededFuture();
    int frames;
  }

  /** Hands the frame on once the savers answered it and the connection's earlier frames are handed on. */
  private Future<Buffer> inTurn(Peer peer, Buffer payload, Future<Buffer> reply) {
    Promise<Void> handedOn = Promise.promise();
    Future<Void> earlier;
    Turn turn;
    synchronized (turns) {
      turn = turns.computeIfAbsent(peer, p -> new Turn());
      earlier = turn.newest;
      turn.newest = handedOn.future();
      turn.frames++;
    }
    Future<Buffer> answered = reply.compose(answer -> earlier.compose(v -> handOn(payload, answer)));
    // a frame not handed on (the savers failed it) still lets the next one go only after the earlier ones
    answered.onComplete(done -> earlier.onComplete(v -> {
      synchronized (turns) {
        if (--turn.frames == 0) {
          turns.remove(peer);
        }
      }
      handedOn.complete();
    }));
    return answered;
  }

  private Future<Buffer> handOn(Buffer payload, Buffer reply) {
    return Replies.isOk(reply) ? targets.apply(payload).map(reply) : Future.succeededFuture(reply);
  }
}
