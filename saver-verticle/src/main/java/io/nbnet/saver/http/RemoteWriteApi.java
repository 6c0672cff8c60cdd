package io.nbnet.saver.http;

import io.nbnet.remotewrite.DecodedWrite;
import io.nbnet.remotewrite.RemoteWriteDecoder;
import io.nbnet.remotewrite.RemoteWriteException;
import io.nbnet.remotewrite.RemoteWriteLimits;
import io.nbnet.saver.metrics.SaverMeters;
import io.nbnet.store.RetentionConfig;
import io.nbnet.store.StoreException;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.logging.Logger;

/**
 * Prometheus remote write 1.0 on the saver's API port ({@code POST /api/v1/write}, same token and TLS):
 * 204 only once the samples are committed; 400 for what can never succeed (an unreadable body, series
 * refused by {@link RemoteWriteDecoder}: the request's other series are stored first), so the sender
 * drops it; 503 with {@code Retry-After} while MySQL cannot take them or too many writes are in progress
 * (never 429, which Prometheus 2.42 drops). Samples are keyed by series and time: a retried request
 * stores nothing twice. The body is unpacked and decoded on a worker thread.
 */
final class RemoteWriteApi {

  private static final Logger log = Logger.getLogger(RemoteWriteApi.class.getName());
  /** Writes decoded and stored at once: memory stays within this many requests. */
  private static final int MAX_IN_PROGRESS = 16;
  private static final long DAY_MILLIS = 86_400_000;

  private final Vertx vertx;
  private final RemoteWriteLimits limits;
  private final RemoteWriteDecoder decoder;
  private final SampleWriter writer;
  private final RetentionConfig retention;
  private int inProgress;

  RemoteWriteApi(Vertx vertx, RemoteWriteLimits limits, SampleWriter writer, RetentionConfig retention) {
    this.vertx = vertx;
    this.limits = limits;
    this.decoder = new RemoteWriteDecoder(limits, limits.defaultHost(), true);
    this.writer = writer;
    this.retention = retention;
  }

  /** Before the PromQL API's routes: a write's body has a limit of its own. */
  void mount(Router router) {
    router.post("/api/v1/write").handler(BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes()));
    router.post("/api/v1/write").handler(this::write);
  }

  private void write(RoutingContext ctx) {
    if (inProgress >= MAX_IN_PROGRESS) {
      unavailable(ctx, MAX_IN_PROGRESS + " writes in progress");
      return;
    }
    if (writer.whyUnavailable().isPresent()) {
      unavailable(ctx, writer.whyUnavailable().get());
      return;
    }
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    long now = System.currentTimeMillis();
    long oldest = retention.rawDays() == 0 ? Long.MIN_VALUE : now - retention.rawDays() * DAY_MILLIS;
    inProgress++;
    vertx.executeBlocking(() -> decoder.decode(body, oldest, now + limits.maxFutureMs()), false)
      .compose(decoded -> {
        count(decoded);
        return decoded.samples().isEmpty() ? io.vertx.core.Future.succeededFuture(decoded) : writer.write(decoded.samples()).map(decoded);
      })
      .onComplete(done -> {
        inProgress--;
        if (done.succeeded()) {
          DecodedWrite decoded = done.result();
          SaverMeters.remoteWriteSamples().increment(decoded.samples().size());
          String problems = decoded.problems();
          if (problems.isEmpty()) {
            answer(ctx, 204, null);
          } else {
            answer(ctx, 400, problems + (decoded.samples().isEmpty() ? "" : "; the other " + decoded.samples().size() + " samples are stored"));
          }
        } else if (done.cause() instanceof RemoteWriteException unreadable) {
          SaverMeters.remoteWriteRefused("unreadable").increment();
          answer(ctx, 400, unreadable.getMessage());
        } else if (done.cause() instanceof StoreException stored && stored.kind() != StoreException.Kind.UNAVAILABLE) {
          SaverMeters.remoteWriteRefused(stored.kind() == StoreException.Kind.LIMIT ? "series_limit" : "invalid").increment();
          answer(ctx, 400, stored.getMessage());
        } else if (done.cause() instanceof StoreException) {
          unavailable(ctx, done.cause().getMessage());
        } else {
          log.warning("remote write failed: " + done.cause());
          unavailable(ctx, "the write failed (logged by the saver)");
        }
      });
  }

  private static void count(DecodedWrite decoded) {
    if (decoded.refusedSeries() > 0) {
      SaverMeters.remoteWriteRefused("series").increment(decoded.refusedSeries());
    }
    decoded.leftOut().forEach((reason, count) -> SaverMeters.remoteWriteLeftOut(reason).increment(count));
    decoded.ignored().forEach((kind, count) -> SaverMeters.remoteWriteIgnored(kind).increment(count));
  }

  private static void unavailable(RoutingContext ctx, String why) {
    SaverMeters.remoteWriteRefused("unavailable").increment();
    ctx.response().putHeader("Retry-After", "5");
    answer(ctx, 503, why + ": try again later");
  }

  private static void answer(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended()) {
      return;
    }
    if (message == null) {
      ctx.response().setStatusCode(status).end();
    } else {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(message + "\n");
    }
  }
}
