package io.nbnet.collector.push;

import io.nbnet.formats.Sample;
import io.nbnet.remotewrite.DecodedWrite;
import io.nbnet.remotewrite.RemoteWriteDecoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Prometheus remote write to the local collector ({@code POST /api/v1/write} of the push port): a node's
 * own agent (Prometheus in agent mode, vmagent, Telegraf) rides the collector's buffer and spool to the
 * saver. Its series belong to this collector's host unless they carry a {@code host} label;
 * {@code instance} and {@code job} stay labels. 204 once queued or spooled; 400 for what can never
 * succeed (the request's other series are queued first); 503 with {@code Retry-After} when the buffer
 * refuses them or too many writes are in progress.
 */
final class PushRemoteWrite {

  private final PushConfig config;
  private final RemoteWriteDecoder decoder;
  private final PushDecodedWrites writes;

  PushRemoteWrite(Vertx vertx, PushConfig config, String host, PushedSeries series, Function<List<Sample>, Future<Void>> queue) {
    this.config = config;
    this.decoder = new RemoteWriteDecoder(config.remoteWrite(), host, false);
    this.writes = new PushDecodedWrites(vertx, config, host, series, queue, "remote_write", this::decoding, new PushDecodedWrites.Replies() {
      @Override
      public void stored(RoutingContext ctx, DecodedWrite decoded, int queued, String problems) {
        if (problems.isEmpty()) {
          ctx.response().setStatusCode(204).end();
        } else {
          answer(ctx, 400, problems + (queued == 0 ? "" : "; the other " + queued + " samples are queued"));
        }
      }

      @Override
      public void refused(RoutingContext ctx, int status, String message) {
        answer(ctx, status, message);
      }
    });
  }

  void write(RoutingContext ctx) {
    writes.handle(ctx);
  }

  private Callable<DecodedWrite> decoding(RoutingContext ctx) {
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    long now = System.currentTimeMillis();
    return () -> decoder.decode(body, now - config.maxAgeMs(), now + config.maxFutureMs());
  }

  private static void answer(RoutingContext ctx, int status, String message) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(message + "\n");
    }
  }
}
