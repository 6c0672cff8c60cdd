package io.nbnet.wire;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Answers one request payload (what a frame carried) with one reply payload. A future failed with a
 * {@link FrameException} becomes an error reply; any other failure is reported as an internal error.
 */
@FunctionalInterface
public interface RequestHandler {

  Future<Buffer> handle(Buffer payload, Peer peer);
}
