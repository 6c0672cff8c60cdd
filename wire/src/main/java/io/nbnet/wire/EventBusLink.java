package io.nbnet.wire;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Frames sent as event-bus requests to an address (in a cluster, to any node's consumer; Vert.x
 * picks one per request, round-robin over the consumers). A consumer's failure with an
 * {@link ErrorKind#code()} becomes the matching error reply; no consumer, or no reply within the
 * timeout, breaks the link, so the sender keeps its frames and tries again after a pause.
 */
public final class EventBusLink implements FrameLink {

  private final Vertx vertx;
  private final String address;
  private final DeliveryOptions delivery;
  private Consumer<Throwable> closeListener = cause -> { };
  private boolean closed;

  private EventBusLink(Vertx vertx, String address, long replyTimeoutMillis) {
    this.vertx = vertx;
    this.address = address;
    this.delivery = new DeliveryOptions().setSendTimeout(replyTimeoutMillis);
  }

  public static Connector connector(Vertx vertx, String address, long replyTimeoutMillis) {
    return new Connector() {
      @Override
      public Future<FrameLink> connect() {
        return Future.succeededFuture(new EventBusLink(vertx, address, replyTimeoutMillis));
      }

      @Override
      public String describe() {
        return "event-bus address " + address;
      }
    };
  }

  @Override
  public Future<Buffer> send(Buffer payload) {
    if (closed) {
      return Future.failedFuture(new FrameClientClosedException("event-bus link to " + address + " is closed"));
    }
    return vertx.eventBus().<Buffer>request(address, payload, delivery)
      .map(reply -> reply.body())
      .recover(failure -> {
        if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
          Optional<ErrorKind> kind = ErrorKind.ofCode(reply.failureCode());
          if (kind.isPresent()) {
            return Future.succeededFuture(Replies.error(kind.get(), reply.getMessage()));
          }
        }
        breakLink(failure);
        return Future.failedFuture(failure);
      });
  }

  @Override
  public FrameLink closeListener(Consumer<Throwable> listener) {
    this.closeListener = listener;
    return this;
  }

  @Override
  public Future<Void> close() {
    breakLink(new FrameClientClosedException("event-bus link to " + address + " closed"));
    return Future.succeededFuture();
  }

  private void breakLink(Throwable cause) {
    if (!closed) {
      closed = true;
      closeListener.accept(cause);
    }
  }
}
