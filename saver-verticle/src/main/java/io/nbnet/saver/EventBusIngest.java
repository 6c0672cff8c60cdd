package io.nbnet.saver;

import io.micrometer.core.instrument.Counter;
import io.nbnet.saver.metrics.SaverMeters;
import io.nbnet.wire.ErrorKind;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.Peer;
import io.nbnet.wire.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.logging.Logger;

/**
 * The saver on the (clustered) event bus: frames arrive as requests to its address and are answered
 * like frames on its port, an error reply being a failure with its kind's {@link ErrorKind#code()}.
 * Each saver process registers exactly one consumer, so Vert.x's round-robin, which weighs nodes by
 * their number of consumers, spreads frames evenly over the savers.
 */
final class EventBusIngest {

  private static final Logger log = Logger.getLogger(EventBusIngest.class.getName());

  private final MessageConsumer<Buffer> consumer;

  private EventBusIngest(MessageConsumer<Buffer> consumer) {
    this.consumer = consumer;
  }

  static Future<EventBusIngest> register(Vertx vertx, String address, RequestHandler ingest) {
    Counter received = SaverMeters.eventBusFrames(address);
    MessageConsumer<Buffer> consumer = vertx.eventBus().consumer(address, message -> {
      received.increment();
      ingest.handle(message.body(), Peer.EVENT_BUS).onComplete(ar -> {
        if (ar.succeeded()) {
          message.reply(ar.result());
        } else {
          FrameException error = ar.cause() instanceof FrameException failure ? failure
            : new FrameException(ErrorKind.INTERNAL, String.valueOf(ar.cause()));
          message.fail(error.kind().code(), error.getMessage());
        }
      });
    });
    return consumer.completion().map(v -> {
      log.info("saver takes frames on event-bus address " + address);
      return new EventBusIngest(consumer);
    });
  }

  Future<Void> unregister() {
    return consumer.unregister();
  }
}
