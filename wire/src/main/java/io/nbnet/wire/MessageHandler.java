package io.nbnet.wire;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Answers one request that a {@link DecodingHandler} decoded into a message, as Netty's decoders hand
 * messages on instead of bytes: each handler of the chain works on the one decoding. The payload it
 * came as goes along, for a handler that passes it on as it is.
 */
@FunctionalInterface
public interface MessageHandler<M> {

  Future<Buffer> handle(M message, Buffer payload, Peer peer);
}
