package io.nbnet.saver;

import io.nbnet.formats.Payload;
import io.nbnet.formats.legacy.LegacyMessage;
import io.nbnet.formats.nb1.NativeBatch;
import io.nbnet.store.Store;
import io.nbnet.store.StoreException;
import io.nbnet.wire.ErrorKind;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.MessageHandler;
import io.nbnet.wire.Peer;
import io.nbnet.wire.Replies;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * The saver's answer to a decoded payload: store it, and reply {@code OK} only once its rows are
 * committed ({@code OK <samples>}, with {@code conflicts=<n>} when some samples came with another value
 * than the one stored for their key). Data MySQL rejects gets {@code ERR invalid}, a frame whose new
 * series would pass a limit {@code ERR refused} (nothing of it stored); database trouble gets
 * {@code ERR unavailable}, so the sender keeps the frame and retries.
 */
final class IngestHandler implements MessageHandler<Payload> {

  private final Store store;

  IngestHandler(Store store) {
    this.store = store;
  }

  @Override
  public Future<Buffer> handle(Payload message, Buffer payload, Peer peer) {
    if (message instanceof NativeBatch batch) {
      return stored(store.write(batch.samples())
        .map(conflicts -> Replies.ok(batch.samples().size() + (conflicts > 0 ? " conflicts=" + conflicts : ""))));
    }
    return stored(store.writeLegacy((LegacyMessage) message).map(v -> Replies.ok()));
  }

  /**
   * The store's refusals as error replies: data it can never store is invalid, data past a limit
   * refused (the connection stays open), anything else unavailable.
   */
  private static Future<Buffer> stored(Future<Buffer> write) {
    return write.recover(failure -> Future.failedFuture(failure instanceof StoreException refused ? switch (refused.kind()) {
      case INVALID -> FrameException.invalid(refused.getMessage());
      case LIMIT -> new FrameException(ErrorKind.REFUSED, refused.getMessage());
      case UNAVAILABLE -> FrameException.unavailable(failure.getMessage(), failure);
    } : FrameException.unavailable(failure.getMessage(), failure)));
  }
}
