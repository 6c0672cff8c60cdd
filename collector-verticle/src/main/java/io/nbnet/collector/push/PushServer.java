package io.nbnet.collector.push;

import io.nbnet.collector.metrics.CollectorMeters;
import io.nbnet.formats.Sample;
import io.nbnet.formats.parsers.InfluxParser;
import io.nbnet.formats.parsers.ParsedSamples;
import io.nbnet.formats.parsers.SampleDefaults;
import io.nbnet.support.http.HttpGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Where applications push their own numbers to the local collector: {@code POST /v1/push} in
 * Open-Falcon's JSON shape and {@code POST /write} in Influx line protocol. Pushed samples go through
 * the same buffer, spool and acknowledgement path as sampled ones: 200 once they are queued (or
 * spooled), 400 naming the first bad item or line (nothing of that body is kept), for an empty body or
 * for one whose series would pass {@code collector.push.maxSeries},
 * 413 past {@code maxBodyBytes} (and the connection is closed, so the rest of that body is not read),
 * 503 when the buffer refuses them or too many pushes are in progress. A client's mistake is answered
 * and counted, never logged with a stack trace.
 */
public final class PushServer {

  private static final Logger log = Logger.getLogger(PushServer.class.getName());
  /** Pushes being parsed and queued at once: memory stays within this many bodies. */
  private static final int MAX_IN_PROGRESS = 16;

  private final Vertx vertx;
  private final PushConfig config;
  private final String host;
  private final Function<List<Sample>, Future<Void>> queue;
  private final InfluxParser influx = new InfluxParser();
  private final HttpGuard guard;
  private final PushedSeries series;
  private HttpServer server;
  private int inProgress;

  /** @param queue puts samples of this collector's frames in its buffer; fails when the buffer refuses them */
  public PushServer(Vertx vertx, PushConfig config, String host, Function<List<Sample>, Future<Void>> queue) {
    this.vertx = vertx;
    this.config = config;
    this.host = host;
    this.queue = queue;
    this.guard = new HttpGuard(vertx, "push", config.limits());
    this.series = new PushedSeries(config.maxSeries());
  }

  public Future<Void> listen() {
    Router router = Router.router(vertx);
    router.post().handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
    router.post("/v1/push").handler(ctx -> push(ctx, "openfalcon", body -> OpenFalconPush.parse(body, System.currentTimeMillis())));
    router.post("/write").handler(ctx -> push(ctx, "influx", body -> influx.parse(body, new SampleDefaults(host, System.currentTimeMillis()))));
    router.route().handler(ctx -> answer(ctx, 404, "POST /v1/push (Open-Falcon JSON) or POST /write (Influx lines)"));
    router.route().failureHandler(this::failed);
    server = guard.guard(vertx.createHttpServer(guard.options(new HttpServerOptions().setHost(config.host()).setPort(config.port()))),
      router);
    return server.listen().map(s -> {
      log.info("push listening on " + config.host() + ":" + s.actualPort() + " (POST /v1/push, POST /write)");
      return null;
    });
  }

  public int actualPort() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void push(RoutingContext ctx, String format, Function<String, ParsedSamples> parser) {
    if (inProgress >= MAX_IN_PROGRESS) {
      refused(format, "busy");
      answer(ctx, 503, MAX_IN_PROGRESS + " pushes in progress; try again shortly");
      return;
    }
    String body = ctx.body().asString();
    if (body == null || body.isEmpty()) {
      refused(format, "empty");
      answer(ctx, 400, "the body is empty: send samples (nothing was kept)");
      return;
    }
    ParsedSamples parsed = parser.apply(body);
    if (!parsed.isClean()) {
      refused(format, "invalid");
      answer(ctx, 400, parsed.firstProblem().orElse("unreadable") + " (nothing of this body was kept)");
      return;
    }
    Optional<String> stranger = parsed.samples().stream().map(Sample::host).filter(h -> !h.equals(host)).findFirst();
    if (stranger.isPresent() && !config.allowOtherHosts()) {
      refused(format, "other_host");
      answer(ctx, 400, "endpoint " + stranger.get() + " is not this host (" + host + "); collector.push.allowOtherHosts lets it through");
      return;
    }
    if (parsed.samples().isEmpty()) {
      answer(ctx, 200, null);
      return;
    }
    Optional<String> overLimit = series.admit(parsed.samples());
    if (overLimit.isPresent()) {
      refused(format, "series_limit");
      guard.errors().report("series_limit", "a push from " + ctx.request().remoteAddress() + " was refused: " + overLimit.get());
      answer(ctx, 400, overLimit.get());
      return;
    }
    inProgress++;
    queue.apply(parsed.samples()).onComplete(done -> {
      inProgress--;
      if (done.succeeded()) {
        CollectorMeters.pushedSamples(format).increment(parsed.samples().size());
        ctx.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("samples", parsed.samples().size()).toBuffer());
      } else {
        refused(format, "buffer_full");
        answer(ctx, 503, "the collector's buffer cannot take them now: " + done.cause().getMessage());
      }
    });
  }

  /** A body past the limit, or a request the router could not take: answered, counted, and for 413 the connection closed. */
  private void failed(RoutingContext ctx) {
    int status = ctx.statusCode() < 0 ? 500 : ctx.statusCode();
    String format = ctx.request().path().startsWith("/write") ? "influx" : "openfalcon";
    if (status == 413) {
      refused(format, "too_large");
      guard.errors().report("too_large", "a push from " + ctx.request().remoteAddress() + " was larger than maxBodyBytes ("
        + config.maxBodyBytes() + " bytes): answered 413, connection closed");
      guard.refuse(ctx.request(), 413, "the body is larger than collector.push.maxBodyBytes (" + config.maxBodyBytes() + " bytes)");
      return;
    }
    if (status >= 500) {
      log.warning(() -> "push: " + ctx.request().method() + " " + ctx.request().path() + " failed: " + ctx.failure());
    } else {
      refused(format, "bad_request");
      guard.errors().report("bad_request", "a push from " + ctx.request().remoteAddress() + " was answered " + status);
    }
    if (!ctx.response().ended()) {
      answer(ctx, status, status >= 500 ? "internal error" : "bad request");
    }
  }

  private static void refused(String format, String reason) {
    CollectorMeters.pushRefused(format, reason).increment();
  }

  private static void answer(RoutingContext ctx, int status, String error) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
      .end(error == null ? new JsonObject().put("samples", 0).toBuffer() : new JsonObject().put("error", error).toBuffer());
  }
}
