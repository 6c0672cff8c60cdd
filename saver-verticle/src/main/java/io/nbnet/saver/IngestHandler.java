package io.nbnet.saver;

import io.nbnet.protocol.ErrorKind;
import io.nbnet.protocol.FrameException;
import io.nbnet.protocol.FrameHandler;
import io.nbnet.protocol.Replies;
import io.nbnet.sample.InvalidPayloadException;
import io.nbnet.sample.NativeBatch;
import io.nbnet.sample.NativeFormat;
import io.nbnet.saver.legacy.LegacyMessage;
import io.nbnet.saver.legacy.LegacyWriter;
import io.nbnet.saver.mysql.DatabaseErrors;
import io.nbnet.saver.mysql.SchemaCreator;
import io.nbnet.saver.samples.SampleWriter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.logging.Logger;

/**
 * The saver's answer to a frame: decode it as native or legacy, store it, and reply {@code OK} only
 * once its rows are committed. Undecodable payloads get {@code ERR invalid}; database trouble gets
 * {@code ERR unavailable} so the sender keeps the frame and retries.
 */
final class IngestHandler implements FrameHandler {

  private static final Logger log = Logger.getLogger(IngestHandler.class.getName());

  private final SchemaCreator schema;
  private final SampleWriter samples;
  private final LegacyWriter legacy;
  private boolean databaseFailing;

  IngestHandler(SchemaCreator schema, SampleWriter samples, LegacyWriter legacy) {
    this.schema = schema;
    this.samples = samples;
    this.legacy = legacy;
  }

  @Override
  public Future<Buffer> handle(Buffer payload) {
    if (!schema.isReady()) {
      return Future.failedFuture(FrameException.unavailable("MySQL is not reachable yet", null));
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
    return write
      .onSuccess(reply -> noteDatabaseRecovered())
      .recover(failure -> {
        FrameException error = DatabaseErrors.toFrameException(failure);
        if (error.kind() != ErrorKind.INVALID) {
          noteDatabaseFailing(failure);
        }
        return Future.failedFuture(error);
      });
  }

  private void noteDatabaseFailing(Throwable failure) {
    if (!databaseFailing) {
      databaseFailing = true;
      log.warning("MySQL writes are failing, senders are told to retry: " + failure.getMessage());
    }
  }

  private void noteDatabaseRecovered() {
    if (databaseFailing) {
      databaseFailing = false;
      log.info("MySQL writes succeed again");
    }
  }
}
