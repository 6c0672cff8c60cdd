package io.nbnet.saver;

import io.nbnet.wire.Peer;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.FrameHandler;
import io.nbnet.wire.Replies;
import io.nbnet.formats.InvalidPayloadException;
import io.nbnet.formats.nb1.NativeBatch;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.formats.legacy.LegacyMessage;
import io.nbnet.saver.legacy.LegacyWriter;
import io.nbnet.saver.mysql.DatabaseErrors;
import io.nbnet.saver.mysql.DatabaseHealth;
import io.nbnet.saver.mysql.SchemaCreator;
import io.nbnet.saver.samples.SampleWriter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;


/**
 * The saver's answer to a frame: decode it as native or legacy, store it, and reply {@code OK} only
 * once its rows are committed. Undecodable payloads (and data MySQL rejects) get {@code ERR invalid};
 * database trouble gets {@code ERR unavailable}, at once while MySQL is known to be down, so the
 * sender keeps the frame and retries and the saver holds nothing meanwhile.
 */
final class IngestHandler implements FrameHandler {

  private final SchemaCreator schema;
  private final DatabaseHealth health;
  private final SampleWriter samples;
  private final LegacyWriter legacy;

  IngestHandler(SchemaCreator schema, DatabaseHealth health, SampleWriter samples, LegacyWriter legacy) {
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
    try {
      if (NativeFormat.isNative(payload)) {
        NativeBatch batch = NativeFormat.decode(payload);
        return stored(samples.write(batch.samples()).map(count -> Replies.ok(String.valueOf(count))));
      }
      if (LegacyMessage.looksLegacy(payload)) {
        LegacyMessage message = LegacyMessage.parse(payload, System.currentTimeMillis() / 1000);
        return stored(legacy.write(message).map(v -> Replies.ok()));
      }
    } catch (InvalidPayloadException e) {
      return Future.failedFuture(FrameException.invalid(e.getMessage()));
    }
    return Future.failedFuture(FrameException.invalid("payload is neither a legacy JSON object nor a native NB1 frame"));
  }

  private Future<Buffer> stored(Future<Buffer> write) {
    return write.recover(failure -> {
      health.reportFailure(failure);
      return Future.failedFuture(DatabaseErrors.toFrameException(failure));
    });
  }
}
