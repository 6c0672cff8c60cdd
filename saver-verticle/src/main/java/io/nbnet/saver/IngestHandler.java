package io.nbnet.saver;

import io.nbnet.formats.InvalidPayloadException;
import io.nbnet.formats.legacy.LegacyMessage;
import io.nbnet.formats.nb1.NativeBatch;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.saver.legacy.LegacyWriter;
import io.nbnet.saver.mysql.DatabaseErrors;
import io.nbnet.saver.mysql.DatabaseHealth;
import io.nbnet.saver.schema.SchemaCreator;
import io.nbnet.wire.ErrorKind;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.FrameHandler;
import io.nbnet.wire.Peer;
import io.nbnet.wire.Replies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.logging.Logger;

/**
 * The saver's answer to a frame: decode it as native or legacy, store it, and reply {@code OK} only
 * once its rows are committed ({@code OK <samples>}, with {@code conflicts=<n>} when some samples came
 * with another value than the one stored for their key). Undecodable payloads (and data MySQL
 * rejects) get {@code ERR invalid}; database trouble gets {@code ERR unavailable}, at once while MySQL
 * is known to be down, so the sender keeps the frame and retries and the saver holds nothing
 * meanwhile. Large native frames are decoded on a worker, so they never hold up the other peers.
 */
final class IngestHandler implements FrameHandler {

  private static final Logger log = Logger.getLogger(IngestHandler.class.getName());

  /** Native payloads larger than this are decoded off the event loop. */
  private static final int DECODE_ON_WORKER_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final SchemaCreator schema;
  private final DatabaseHealth health;
  private final NativeIngest samples;
  private final LegacyWriter legacy;

  IngestHandler(Vertx vertx, SchemaCreator schema, DatabaseHealth health, NativeIngest samples, LegacyWriter legacy) {
    this.vertx = vertx;
    this.schema = schema;
    this.health = health;
    this.samples = samples;
    this.legacy = legacy;
  }

  @Override
  public Future<Buffer> handle(Buffer payload, Peer peer) {
    if (!schema.isReady()) {
      return Future.failedFuture(FrameException.unavailable("MySQL is not reachable yet", null));
    }
    if (!health.isUp()) {
      return Future.failedFuture(FrameException.unavailable("MySQL is not taking writes now", null));
    }
    if (NativeFormat.isNative(payload)) {
      return decode(payload).compose(batch -> stored(samples.write(batch.samples())
        .map(conflicts -> Replies.ok(batch.samples().size() + (conflicts > 0 ? " conflicts=" + conflicts : "")))));
    }
    try {
      if (LegacyMessage.looksLegacy(payload)) {
        LegacyMessage message = LegacyMessage.parse(payload, System.currentTimeMillis() / 1000);
        // liveness is best effort: a frame stored is answered OK even if its host's activity could not be noted
        return stored(legacy.write(message).map(v -> {
          samples.seenLegacy(message.host(), message.time() * 1000)
            .onFailure(failure -> log.fine(() -> "cannot note that legacy host " + message.host() + " reported: " + failure.getMessage()));
          return Replies.ok();
        }));
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

  private Future<Buffer> stored(Future<Buffer> write) {
    return write.recover(failure -> {
      if (failure instanceof FrameException frameFailure) {
        if (frameFailure.kind() == ErrorKind.UNAVAILABLE) {
          health.reportFailure(frameFailure.getCause() != null ? frameFailure.getCause() : frameFailure);
        }
        return Future.failedFuture(frameFailure);
      }
      health.reportFailure(failure);
      return Future.failedFuture(DatabaseErrors.toFrameException(failure));
    });
  }
}
