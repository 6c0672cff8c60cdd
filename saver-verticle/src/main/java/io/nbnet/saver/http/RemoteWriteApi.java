package io.nbnet.saver.http;

import io.nbnet.remotewrite.DecodedWrite;
import io.nbnet.remotewrite.RemoteWriteDecoder;
import io.nbnet.remotewrite.RemoteWriteLimits;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.concurrent.Callable;

/**
 * Prometheus remote write 1.0 on the saver's API port ({@code POST /api/v1/write}, same token and TLS):
 * 204 only once the samples are committed; 400 for what can never succeed (an unreadable body, series
 * refused by {@link RemoteWriteDecoder}: the request's other series are stored first), so the sender
 * drops it; 503 with {@code Retry-After} while MySQL cannot take them or too many writes are in progress
 * (never 429, which Prometheus 2.42 drops).
 */
final class RemoteWriteApi {

  private final RemoteWriteLimits limits;
  private final RemoteWriteDecoder decoder;
  private final SampleTimes times;
  private final WriteEndpoint endpoint;

  RemoteWriteApi(Vertx vertx, RemoteWriteLimits limits, SampleWriter writer, SampleTimes times) {
    this.limits = limits;
    this.decoder = new RemoteWriteDecoder(limits, limits.defaultHost(), true);
    this.times = times;
    this.endpoint = new WriteEndpoint(vertx, writer, "remote_write", this::decoding, new WriteEndpoint.Replies() {
      @Override
      public void stored(RoutingContext ctx, DecodedWrite decoded) {
        String problems = decoded.problems();
        if (problems.isEmpty()) {
          answer(ctx, 204, null);
        } else {
          answer(ctx, 400, problems + (decoded.samples().isEmpty() ? "" : "; the other " + decoded.samples().size() + " samples are stored"));
        }
      }

      @Override
      public void refused(RoutingContext ctx, String message) {
        answer(ctx, 400, message);
      }

      @Override
      public void unavailable(RoutingContext ctx, String message) {
        answer(ctx, 503, message);
      }
    });
  }

  /** Before the PromQL API's routes: a write's body has a limit of its own. */
  void mount(Router router) {
    router.post("/api/v1/write").handler(BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes()));
    router.post("/api/v1/write").handler(endpoint::handle);
  }

  private Callable<DecodedWrite> decoding(RoutingContext ctx) {
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    long now = System.currentTimeMillis();
    return () -> decoder.decode(body, times.oldest(now), times.newest(now));
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
