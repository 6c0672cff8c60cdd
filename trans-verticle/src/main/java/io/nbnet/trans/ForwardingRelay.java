package io.nbnet.trans;

import io.nbnet.formats.PayloadHosts;
import io.nbnet.forward.ForwardTargets;
import io.nbnet.wire.Peer;
import io.nbnet.wire.Replies;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Trans with remote write targets: a frame the savers took (OK, or OK spooled) is queued for every
 * target before the sender gets its OK, so a frame answered OK is held by every target's queue too; a
 * frame the savers refused is not handed on. The targets' queues never fail a frame: what they refuse
 * they count.
 */
final class ForwardingRelay implements Relay {

  private final Relay savers;
  private final ForwardTargets targets;

  ForwardingRelay(Relay savers, ForwardTargets targets) {
    this.savers = savers;
    this.targets = targets;
  }

  @Override
  public Future<Buffer> handle(Buffer payload, Peer peer) {
    return savers.handle(payload, peer).compose(reply -> handOn(payload, reply));
  }

  @Override
  public Future<Buffer> handle(PayloadHosts hosts, Buffer payload, Peer peer) {
    return savers.handle(hosts, payload, peer).compose(reply -> handOn(payload, reply));
  }

  private Future<Buffer> handOn(Buffer payload, Buffer reply) {
    return Replies.isOk(reply) ? targets.offer(payload).map(reply) : Future.succeededFuture(reply);
  }
}
