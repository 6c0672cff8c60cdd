package io.nbnet.saver.http;

import io.nbnet.otlp.OtlpDecoder;
import io.nbnet.otlp.OtlpHttp;
import io.nbnet.remotewrite.DecodedWrite;
import io.nbnet.remotewrite.RemoteWriteLimits;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.concurrent.Callable;

/**
 * OTLP/HTTP metrics on the saver's API port ({@code POST /v1/metrics}, same token and TLS; the body
 * limits of remote write): protobuf or JSON, gzipped or not. 200 with an
 * {@code ExportMetricsServiceResponse} once committed ({@code partial_success} for the points refused);
 * 400 with a {@code google.rpc.Status} for what can never succeed; 503 with {@code Retry-After} while
 * MySQL cannot take them, which exporters retry.
 */
final class OtlpApi {

  private final RemoteWriteLimits limits;
  private final OtlpDecoder decoder;
  private final SampleTimes times;
  private final WriteEndpoint endpoint;

  OtlpApi(Vertx vertx, RemoteWriteLimits limits, SampleWriter writer, SampleTimes times) {
    this.limits = limits;
    this.decoder = new OtlpDecoder(limits.defaultHost());
    this.times = times;
    this.endpoint = new WriteEndpoint(vertx, writer, "otlp", this::decoding, new WriteEndpoint.Replies() {
      @Override
      public void stored(RoutingContext ctx, DecodedWrite decoded) {
        answer(ctx, 200, OtlpHttp.success(decoded, json(ctx)));
      }

      @Override
      public void refused(RoutingContext ctx, String message) {
        answer(ctx, 400, OtlpHttp.status(OtlpHttp.INVALID_ARGUMENT, message, json(ctx)));
      }

      @Override
      public void unavailable(RoutingContext ctx, String message) {
        answer(ctx, 503, OtlpHttp.status(OtlpHttp.UNAVAILABLE, message, json(ctx)));
      }
    });
  }

  void mount(Router router) {
    router.post("/v1/metrics").handler(BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes()));
    router.post("/v1/metrics").handler(endpoint::handle);
  }

  private Callable<DecodedWrite> decoding(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    String contentType = ctx.request().getHeader("Content-Type");
    String encoding = ctx.request().getHeader("Content-Encoding");
    long now = System.currentTimeMillis();
    return () -> decoder.decode(OtlpHttp.read(body, contentType, encoding, limits.maxDecompressedBytes(),
      "saver.remoteWrite.maxDecompressedBytes"), times.oldest(now), times.newest(now));
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
