package io.nbnet.trans;

import io.nbnet.wire.EventBusLink;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.FrameLink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Trans in cluster mode: frames go as event-bus requests to the savers' address, like a collector's
 * (Vert.x spreads them over the savers' consumers). No consumer, or no reply in time, is
 * {@code ERR unavailable} for the sender, or a reason to spool.
 */
final class EventBusForwarder implements Forwarder {

  private final FrameLink.Connector connector;

  EventBusForwarder(Vertx vertx, String address, long replyTimeoutMillis) {
    this.connector = EventBusLink.connector(vertx, address, replyTimeoutMillis);
  }

  @Override
  public Future<Buffer> forward(Buffer payload) {
    return connector.connect().compose(link -> link.send(payload))
      .recover(failure -> Future.failedFuture(FrameException.unavailable("no saver on " + connector.describe() + " took the frame: "
        + failure.getMessage(), failure)));
  }

  @Override
  public Future<List<Buffer>> forwardInOrder(List<Buffer> payloads) {
    // one at a time: over the event bus only the order of sending is the order of arrival at one saver
    Future<List<Buffer>> chain = Future.succeededFuture(new ArrayList<>());
    for (Buffer payload : payloads) {
      chain = chain.compose(replies -> forward(payload).map(reply -> {
        replies.add(reply);
        return replies;
      }));
    }
    return chain;
  }

  @Override
  public void close() {
  }
}
