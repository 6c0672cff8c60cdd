package io.nbnet.saver;

import io.nbnet.formats.InvalidPayloadException;
import io.nbnet.formats.legacy.LegacyMessage;
import io.nbnet.formats.nb1.NativeBatch;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.store.Store;
import io.nbnet.store.StoreException;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.FrameHandler;
import io.nbnet.wire.Peer;
import io.nbnet.wire.Replies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.Optional;

/**
 * The saver's answer to a frame: decode it as native or legacy, store it, and reply {@code OK} only
 * once its rows are committed ({@code OK <samples>}, with {@code conflicts=<n>} when some samples came
 * with another value than the one stored for their key). Undecodable payloads (and data MySQL
 * rejects) get {@code ERR invalid}; database trouble gets {@code ERR unavailable}, at once while MySQL
 * is known to be down, so the sender keeps the frame and retries and the saver holds nothing
 * meanwhile. Large native frames are decoded on a worker, so they never hold up the other peers.
 */
final class IngestHandler implements FrameHandler {

  /** Native payloads larger than this are decoded off the event loop. */
  private static final int DECODE_ON_WORKER_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final Store store;

  IngestHandler(Vertx vertx, Store store) {
    this.vertx = vertx;
    this.store = store;
  }

  @Override
  public Future<Buffer> handle(Buffer payload, Peer peer) {
    Optional<String> unavailable = store.whyUnavailable();
    if (unavailable.isPresent()) {
      return Future.failedFuture(FrameException.unavailable(unavailable.get(), null));
    }
    if (NativeFormat.isNative(payload)) {
      return decode(payload).compose(batch -> stored(store.write(batch.samples())
        .map(conflicts -> Replies.ok(batch.samples().size() + (conflicts > 0 ? " conflicts=" + conflicts : "")))));
    }
    try {
      if (LegacyMessage.looksLegacy(payload)) {
        LegacyMessage message = LegacyMessage.parse(payload, System.currentTimeMillis() / 1000);
        return stored(store.writeLegacy(message).map(v -> Replies.ok()));
      }
    } catch (InvalidPayloadException e) {
      return Future.failedFuture(FrameException.invalid(e.getMessage()));
    }
    return Future.failedFuture(FrameException.invalid("payload is neither a legacy JSON object nor a native NB1 frame"));
  }

  private Future<NativeBatch> decode(Buffer payload) {
    if (payload.length() <= DECODE_ON_WORKER_BYTES) {
      try {
        return Future.succeededFuture(NativeFormat.decode(payload));
      } catch (InvalidPayloadException e) {
        return Future.failedFuture(FrameException.invalid(e.getMessage()));
      }
    }
    return vertx.executeBlocking(() -> NativeFormat.decode(payload), false)
      .recover(failure -> Future.failedFuture(failure instanceof InvalidPayloadException invalid
        ? FrameException.invalid(invalid.getMessage()) : failure));
  }

  /** The store's refusals as error replies: data it can never store is invalid, anything else unavailable. */
  private static Future<Buffer> stored(Future<Buffer> write) {
    return write.recover(failure -> Future.failedFuture(failure instanceof StoreException refused && refused.kind() == StoreException.Kind.INVALID
      ? FrameException.invalid(refused.getMessage())
      : FrameException.unavailable(failure.getMessage(), failure)));
  }
}
