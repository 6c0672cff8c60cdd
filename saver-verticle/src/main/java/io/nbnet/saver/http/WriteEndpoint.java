package io.nbnet.saver.http;

import io.nbnet.remotewrite.DecodedWrite;
import io.nbnet.remotewrite.UnreadableWriteException;
import io.nbnet.saver.metrics.SaverMeters;
import io.nbnet.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * What the write APIs of the saver's port share: a request refused at once while the store cannot
 * take writes or too many are in progress (503), its body decoded on a worker thread, its samples
 * written, and the outcome answered in the protocol's shape and counted ({@code nbnet_write_*{protocol}}).
 * Samples are keyed by series and time: a retried request stores nothing twice.
 */
final class WriteEndpoint {

  private static final Logger log = Logger.getLogger(WriteEndpoint.class.getName());
  /** Writes decoded and stored at once: memory stays within this many requests. */
  private static final int MAX_IN_PROGRESS = 16;

  /** How a protocol answers. */
  interface Replies {
    /** Stored, all of it or with {@code decoded.problems()} left out. */
    void stored(RoutingContext ctx, DecodedWrite decoded);

    /** 400: what can never succeed. */
    void refused(RoutingContext ctx, String message);

    /** 503 with {@code Retry-After}: try again later. */
    void unavailable(RoutingContext ctx, String message);
  }

  private final Vertx vertx;
  private final SampleWriter writer;
  private final String protocol;
  private final Function<RoutingContext, Callable<DecodedWrite>> decoding;
  private final Replies replies;
  private int inProgress;

  /** @param decoding what decodes a request's body, on a worker thread; throws {@link UnreadableWriteException} */
  WriteEndpoint(Vertx vertx, SampleWriter writer, String protocol, Function<RoutingContext, Callable<DecodedWrite>> decoding, Replies replies) {
    this.vertx = vertx;
    this.writer = writer;
    this.protocol = protocol;
    this.decoding = decoding;
    this.replies = replies;
  }

  void handle(RoutingContext ctx) {
    if (inProgress >= MAX_IN_PROGRESS) {
      unavailable(ctx, MAX_IN_PROGRESS + " writes in progress");
      return;
    }
    if (writer.whyUnavailable().isPresent()) {
      unavailable(ctx, writer.whyUnavailable().get());
      return;
    }
    Callable<DecodedWrite> decode = decoding.apply(ctx);
    inProgress++;
    vertx.executeBlocking(decode, false)
      .compose(decoded -> {
        count(decoded);
        return decoded.samples().isEmpty() ? Future.succeededFuture(decoded) : writer.write(decoded.samples()).map(decoded);
      })
      .onComplete(done -> {
        inProgress--;
        if (done.succeeded()) {
          SaverMeters.writeSamples(protocol).increment(done.result().samples().size());
          replies.stored(ctx, done.result());
        } else if (done.cause() instanceof UnreadableWriteException unreadable) {
          SaverMeters.writeRefused(protocol, "unreadable").increment();
          replies.refused(ctx, unreadable.getMessage());
        } else if (done.cause() instanceof StoreException stored && stored.kind() != StoreException.Kind.UNAVAILABLE) {
          SaverMeters.writeRefused(protocol, stored.kind() == StoreException.Kind.LIMIT ? "limit" : "invalid").increment();
          replies.refused(ctx, stored.getMessage());
        } else if (done.cause() instanceof StoreException) {
          unavailable(ctx, done.cause().getMessage());
        } else {
          log.warning(protocol + " write failed: " + done.cause());
          unavailable(ctx, "the write failed (logged by the saver)");
        }
      });
  }

  private void count(DecodedWrite decoded) {
    if (decoded.refusedSeries() > 0) {
      SaverMeters.writeRefused(protocol, "series").increment(decoded.refusedSeries());
    }
    decoded.leftOut().forEach((reason, count) -> SaverMeters.writeLeftOut(protocol, reason).increment(count));
    decoded.ignored().forEach((kind, count) -> SaverMeters.writeIgnored(protocol, kind).increment(count));
  }

  private void unavailable(RoutingContext ctx, String why) {
    SaverMeters.writeRefused(protocol, "unavailable").increment();
    ctx.response().putHeader("Retry-After", "5");
    replies.unavailable(ctx, why + ": try again later");
  }
}
