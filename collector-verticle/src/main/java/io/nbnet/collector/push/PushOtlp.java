package io.nbnet.collector.push;

import io.nbnet.formats.Sample;
import io.nbnet.otlp.OtlpDecoder;
import io.nbnet.otlp.OtlpHttp;
import io.nbnet.remotewrite.DecodedWrite;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * OTLP/HTTP metrics to the local collector ({@code POST /v1/metrics} of the push port): an application's
 * OpenTelemetry SDK, or a node's OpenTelemetry Collector, rides the collector's buffer and spool. A
 * resource without {@code host.name} is this collector's host. 200 with an
 * {@code ExportMetricsServiceResponse} once queued ({@code partial_success} for what was left out); 400
 * with a {@code google.rpc.Status} for what can never succeed; 503 when the buffer refuses them.
 */
final class PushOtlp {

  private final PushConfig config;
  private final OtlpDecoder decoder;
  private final PushDecodedWrites writes;

  PushOtlp(Vertx vertx, PushConfig config, String host, PushedSeries series, Function<List<Sample>, Future<Void>> queue) {
    this.config = config;
    this.decoder = new OtlpDecoder(host);
    this.writes = new PushDecodedWrites(vertx, config, host, series, queue, "otlp", this::decoding, new PushDecodedWrites.Replies() {
      @Override
      public void stored(RoutingContext ctx, DecodedWrite decoded, int queued, String problems) {
        answer(ctx, 200, OtlpHttp.success(decoded, json(ctx)));
      }

      @Override
      public void refused(RoutingContext ctx, int status, String message) {
        answer(ctx, status, OtlpHttp.status(status == 503 ? OtlpHttp.UNAVAILABLE : OtlpHttp.INVALID_ARGUMENT, message, json(ctx)));
      }
    });
  }

  void export(RoutingContext ctx) {
    writes.handle(ctx);
  }

  private Callable<DecodedWrite> decoding(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    String contentType = ctx.request().getHeader("Content-Type");
    String encoding = ctx.request().getHeader("Content-Encoding");
    long now = System.currentTimeMillis();
    return () -> decoder.decode(OtlpHttp.read(body, contentType, encoding, config.remoteWrite().maxDecompressedBytes(),
      "collector.push.remoteWrite.maxDecompressedBytes"), now - config.maxAgeMs(), now + config.maxFutureMs());
  }

  private static boolean json(RoutingContext ctx) {
    return OtlpHttp.isJson(ctx.request().getHeader("Content-Type"));
  }

  private static void answer(RoutingContext ctx, int status, Buffer body) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", OtlpHttp.contentType(json(ctx))).end(body);
    }
  }
}
