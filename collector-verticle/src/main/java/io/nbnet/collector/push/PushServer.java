package io.nbnet.collector.push;

import io.nbnet.collector.metrics.CollectorMeters;
import io.nbnet.formats.Sample;
import io.nbnet.formats.parsers.InfluxParser;
import io.nbnet.formats.parsers.ParsedSamples;
import io.nbnet.formats.parsers.SampleDefaults;
import io.nbnet.support.http.GzipBodies;
import io.nbnet.support.http.HttpGuard;
import io.nbnet.support.http.TokenCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Where applications push their own numbers to the local collector: {@code POST /v1/push} in
 * Open-Falcon's JSON shape, and Influx line protocol as InfluxDB takes it: {@code POST /write} (1.x:
 * {@code db}, {@code rp}, {@code precision}, {@code u}/{@code p}) and {@code POST /api/v2/write} (2.x:
 * {@code org}, {@code bucket}, {@code precision}, {@code Authorization: Token}), with {@code /ping}
 * and {@code CREATE DATABASE} on {@code /query} answered as InfluxDB does, for clients that ask first;
 * Prometheus remote write on {@code POST /api/v1/write} ({@link PushRemoteWrite}); OTLP/HTTP metrics on
 * {@code POST /v1/metrics} ({@link PushOtlp}).
 * Influx bodies may be gzipped ({@link GzipBodies}). Pushed samples go through the same buffer, spool and acknowledgement path as
 * sampled ones. Open-Falcon pushes are kept whole or refused whole (200 / 400 naming the first bad
 * item); Influx writes as InfluxDB keeps them: the readable lines in time are kept (204), the rest
 * named in a 400 "partial write". Samples further ahead than {@code maxFutureMs} or older than
 * {@code maxAgeMs} are refused (a time in the wrong unit). 413 past {@code maxBodyBytes} (and the
 * connection closed, so the rest of that body is not read), 503 when the buffer refuses them or too
 * many pushes are in progress. A client's mistake is answered and counted, never logged with a stack trace.
 */
public final class PushServer {

  private static final Logger log = Logger.getLogger(PushServer.class.getName());
  /** Pushes being parsed and queued at once: memory stays within this many bodies. */
  private static final int MAX_IN_PROGRESS = 16;

  private final Vertx vertx;
  private final PushConfig config;
  private final String host;
  private final Function<List<Sample>, Future<Void>> queue;
  private final HttpGuard guard;
  private final TokenCheck tokenCheck;
  private final PushedSeries series;
  private final PushRemoteWrite remoteWrite;
  private final PushOtlp otlp;
  private HttpServer server;
  private int inProgress;

  /** @param queue puts samples of this collector's frames in its buffer; fails when the buffer refuses them */
  public PushServer(Vertx vertx, PushConfig config, String host, Function<List<Sample>, Future<Void>> queue) {
    this.vertx = vertx;
    this.config = config;
    this.host = host;
    this.queue = queue;
    this.guard = new HttpGuard(vertx, "push", config.limits());
    this.tokenCheck = new TokenCheck(config.token(), guard.errors());
    this.series = new PushedSeries(config.maxSeries());
    this.remoteWrite = new PushRemoteWrite(vertx, config, host, series, queue);
    this.otlp = new PushOtlp(vertx, config, host, series, queue);
  }

  public Future<Void> listen() {
    Router router = Router.router(vertx);
    // a liveness probe, as InfluxDB's: no token asked, nothing told
    router.route("/ping").handler(ctx -> PushDialect.versioned(ctx).setStatusCode(204).end());
    router.route().handler(this::authorize);
    router.post().handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
    router.post("/v1/push").handler(ctx -> push(ctx, "openfalcon", PushDialect.NATIVE,
      body -> OpenFalconPush.parse(body, System.currentTimeMillis())));
    router.post("/write").handler(ctx -> influx(ctx, PushDialect.INFLUX_V1));
    router.post("/api/v2/write").handler(ctx -> influx(ctx, PushDialect.INFLUX_V2));
    router.post("/api/v1/write").handler(remoteWrite::write);
    router.post("/v1/metrics").handler(otlp::export);
    router.route("/query").handler(this::query);
    router.route().handler(ctx -> PushDialect.NATIVE.refused(ctx, 404,
      "POST /v1/push (Open-Falcon JSON), POST /write or /api/v2/write (Influx lines), POST /api/v1/write (Prometheus remote write), POST /v1/metrics (OTLP)"));
    router.route().failureHandler(this::failed);
    HttpServerOptions options = guard.options(new HttpServerOptions().setHost(config.host()).setPort(config.port()));
    config.tls().ifPresent(tls -> tls.applyTo(options));
    server = guard.guard(vertx.createHttpServer(options), router);
    return server.listen().map(s -> {
      log.info("push listening on " + config.host() + ":" + s.actualPort() + " (POST /v1/push, /write, /api/v2/write, /api/v1/write, /v1/metrics"
        + (config.token().isPresent() ? ", token required" : "") + ")");
      return null;
    });
  }

  public int actualPort() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void authorize(RoutingContext ctx) {
    Optional<TokenCheck.Refusal> refusal = tokenCheck.check(ctx.request());
    if (refusal.isEmpty()) {
      ctx.next();
      return;
    }
    refused(format(ctx), refusal.get().status() == 401 ? "unauthorized" : "auth_throttled");
    refusal.get().retryAfterSeconds().ifPresent(wait -> ctx.response().putHeader("Retry-After", Long.toString(wait)));
    dialect(ctx).refused(ctx, refusal.get().status(), refusal.get().message());
  }

  /** Influx lines, in the precision the request names. */
  private void influx(RoutingContext ctx, PushDialect dialect) {
    String asked = ctx.request().getParam("precision");
    Optional<TimeUnit> precision = InfluxParser.precision(asked);
    if (precision.isEmpty()) {
      refused("influx", "invalid");
      dialect.refused(ctx, 400, "invalid precision \"" + asked + "\": n, u, ms, s, m or h (ns and us too)");
      return;
    }
    InfluxParser parser = new InfluxParser(precision.get());
    push(ctx, "influx", dialect, body -> parser.parse(body, new SampleDefaults(host, System.currentTimeMillis())));
  }

  private void push(RoutingContext ctx, String format, PushDialect dialect, Function<String, ParsedSamples> parser) {
    if (inProgress >= MAX_IN_PROGRESS) {
      refused(format, "busy");
      ctx.response().putHeader("Retry-After", "1");
      dialect.refused(ctx, 503, MAX_IN_PROGRESS + " pushes in progress; try again shortly");
      return;
    }
    boolean partial = dialect != PushDialect.NATIVE;
    String body;
    try {
      body = text(ctx);
    } catch (GzipBodies.TooLarge e) {
      refused(format, "too_large");
      dialect.refused(ctx, 413, "the body unpacks to more than collector.push.maxBodyBytes (" + config.maxBodyBytes() + " bytes)");
      return;
    } catch (IOException e) {
      refused(format, "invalid");
      dialect.refused(ctx, 400, "the body says Content-Encoding: gzip but is not gzip");
      return;
    }
    if (body == null || body.isEmpty()) {
      if (partial) {
        dialect.stored(ctx, 0); // InfluxDB takes an empty write as one with nothing in it
      } else {
        refused(format, "empty");
        dialect.refused(ctx, 400, "the body is empty: send samples (nothing was kept)");
      }
      return;
    }
    ParsedSamples parsed = parser.apply(body);
    if (!parsed.isClean() && !partial) {
      refused(format, "invalid");
      dialect.refused(ctx, 400, parsed.firstProblem().orElse("unreadable") + " (nothing of this body was kept)");
      return;
    }
    long now = System.currentTimeMillis();
    List<Sample> inTime = new ArrayList<>(parsed.samples().size());
    for (Sample sample : parsed.samples()) {
      if (sample.timestampMillis() <= now + config.maxFutureMs() && sample.timestampMillis() >= now - config.maxAgeMs()) {
        inTime.add(sample);
      }
    }
    int outOfTime = parsed.samples().size() - inTime.size();
    if (outOfTime > 0 && !partial) {
      refused(format, "out_of_bounds");
      dialect.refused(ctx, 400, outOfTime + " samples are " + bounds() + " (nothing of this body was kept)");
      return;
    }
    Optional<String> stranger = inTime.stream().map(Sample::host).filter(h -> !h.equals(host)).findFirst();
    if (stranger.isPresent() && !config.allowOtherHosts()) {
      refused(format, "other_host");
      dialect.refused(ctx, 400, "endpoint " + stranger.get() + " is not this host (" + host + "); collector.push.allowOtherHosts lets it through");
      return;
    }
    List<String> dropped = new ArrayList<>();
    if (!parsed.isClean()) {
      CollectorMeters.pushDropped(format, "unparsable").increment(parsed.badParts());
      dropped.add("unable to parse: " + parsed.firstProblem().orElse("a line") + " dropped=" + parsed.badParts());
    }
    if (outOfTime > 0) {
      CollectorMeters.pushDropped(format, "out_of_bounds").increment(outOfTime);
      dropped.add("points " + bounds() + " dropped=" + outOfTime);
    }
    String partialWrite = "partial write: " + String.join("; ", dropped);
    if (inTime.isEmpty()) {
      if (dropped.isEmpty()) {
        dialect.stored(ctx, 0);
      } else {
        refused(format, parsed.isClean() ? "out_of_bounds" : "invalid");
        dialect.refused(ctx, 400, partialWrite);
      }
      return;
    }
    Optional<String> overLimit = series.admit(inTime);
    if (overLimit.isPresent()) {
      refused(format, "series_limit");
      guard.errors().report("series_limit", "a push from " + ctx.request().remoteAddress() + " was refused: " + overLimit.get());
      dialect.refused(ctx, 400, overLimit.get());
      return;
    }
    inProgress++;
    queue.apply(inTime).onComplete(done -> {
      inProgress--;
      if (done.failed()) {
        refused(format, "buffer_full");
        ctx.response().putHeader("Retry-After", "1");
        dialect.refused(ctx, 503, "the collector's buffer cannot take them now: " + done.cause().getMessage());
        return;
      }
      CollectorMeters.pushedSamples(format).increment(inTime.size());
      if (dropped.isEmpty()) {
        dialect.stored(ctx, inTime.size());
      } else {
        dialect.refused(ctx, 400, partialWrite);
      }
    });
  }

  /** The body as text, unpacked first when gzipped (the limit counts what it unpacks to). */
  private String text(RoutingContext ctx) throws GzipBodies.TooLarge, IOException {
    Buffer body = ctx.body().buffer();
    if (body == null) {
      return null;
    }
    String encoding = ctx.request().getHeader("Content-Encoding");
    if (encoding != null && encoding.trim().equalsIgnoreCase("gzip")) {
      body = GzipBodies.unpack(body, config.maxBodyBytes());
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  private String bounds() {
    return "outside this collector's window (more than collector.push.maxFutureMs " + config.maxFutureMs() + " ahead, or older than"
      + " collector.push.maxAgeMs " + config.maxAgeMs() + "): is the precision right?";
  }

  /** InfluxDB clients create their database first: that is answered as done; any other query is not taken here. */
  private void query(RoutingContext ctx) {
    String query = ctx.request().getParam("q");
    if (query == null && ctx.request().method().name().equals("POST")) {
      query = ctx.request().getFormAttribute("q");
    }
    if (query != null && query.strip().toUpperCase(Locale.ROOT).startsWith("CREATE DATABASE")) {
      PushDialect.versioned(ctx).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("results", new JsonArray().add(new JsonObject().put("statement_id", 0))).toBuffer());
      return;
    }
    PushDialect.INFLUX_V1.refused(ctx, 400, "the collector takes writes only; query the saver (its Prometheus API, or /api/query)");
  }

  /** A body past the limit, or a request the router could not take: answered, counted, and for 413 the connection closed. */
  private void failed(RoutingContext ctx) {
    int status = ctx.statusCode() < 0 ? 500 : ctx.statusCode();
    String format = format(ctx);
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
    dialect(ctx).refused(ctx, status, status >= 500 ? "internal error" : "bad request");
  }

  private static String format(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path.startsWith("/api/v1/")) {
      return "remote_write";
    }
    if (path.startsWith("/v1/metrics")) {
      return "otlp";
    }
    return path.startsWith("/v1/push") ? "openfalcon" : "influx";
  }

  private static PushDialect dialect(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path.startsWith("/api/v2/")) {
      return PushDialect.INFLUX_V2;
    }
    return path.startsWith("/write") || path.startsWith("/query") ? PushDialect.INFLUX_V1 : PushDialect.NATIVE;
  }

  private static void refused(String format, String reason) {
    CollectorMeters.pushRefused(format, reason).increment();
  }
}
