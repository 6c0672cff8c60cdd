package io.nbnet.wire;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Decodes each request payload once and hands the message to the next handler. A large payload is
 * decoded on a worker, so it never holds up the event loop's other connections. A payload that cannot
 * be decoded is answered with the decoder's {@link FrameException} ({@code ERR invalid}).
 */
public final class DecodingHandler<M> implements RequestHandler {

  /** Payloads larger than this are decoded off the event loop. */
  static final int DECODE_ON_WORKER_BYTES = 64 * 1024;

  /** Turns a payload into a message; fails with a {@link FrameException} saying what is wrong with it. */
  @FunctionalInterface
  public interface Decoder<M> {
    M decode(Buffer payload) throws FrameException;
  }

  private final Vertx vertx;
  private final Decoder<M> decoder;
  private final MessageHandler<M> next;

  public DecodingHandler(Vertx vertx, Decoder<M> decoder, MessageHandler<M> next) {
    this.vertx = vertx;
    this.decoder = decoder;
    this.next = next;
  }

  @Override
  public Future<Buffer> handle(Buffer payload, Peer peer) {
    return decode(payload).compose(message -> next.handle(message, payload, peer));
  }

  private Future<M> decode(Buffer payload) {
    if (payload.length() <= DECODE_ON_WORKER_BYTES) {
      try {
        return Future.succeededFuture(decoder.decode(payload));
      } catch (FrameException e) {
        return Future.failedFuture(e);
      }
    }
    return vertx.executeBlocking(() -> decoder.decode(payload), false);
  }
}
