package io.nbnet.saver.http;

import io.nbnet.saver.HttpConfig;
import io.nbnet.saver.metrics.SaverMeters;
import io.nbnet.saver.query.BadQueryException;
import io.nbnet.saver.query.QueryRequest;
import io.nbnet.saver.query.SeriesReader;
import io.nbnet.saver.query.StoreQueries;
import io.nbnet.saver.rules.GroupStatus;
import io.nbnet.remotewrite.RemoteWriteLimits;
import io.nbnet.store.RetentionConfig;
import io.nbnet.support.http.HttpGuard;
import io.nbnet.support.http.TokenCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.mysqlclient.MySQLException;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The saver's HTTP side: the JSON query API under {@code /api}, the Prometheus query API under
 * {@code /api/v1} ({@link PromqlApi}), Prometheus remote write at {@code /api/v1/write}
 * ({@link RemoteWriteApi}), OTLP/HTTP metrics at {@code /v1/metrics} ({@link OtlpApi}) and the
 * dashboard's static files at {@code /}. Every API call passes the
 * token check (when a token is set); every query the {@link QueryLimiter}; bad parameters get 400, a
 * full line or a statement past its time limit 503, each with {@code {"error": "..."}}.
 */
public final class ApiServer {

  private static final Logger log = Logger.getLogger(ApiServer.class.getName());
  /** MariaDB's and MySQL's errors for a statement stopped by its time limit. */
  private static final int MARIADB_STATEMENT_TIMEOUT = 1969;
  private static final int MYSQL_STATEMENT_TIMEOUT = 3024;

  private final Vertx vertx;
  private final HttpConfig config;
  private final SeriesReader store;
  private final RetentionConfig retention;
  private final QueryLimiter limiter;
  private final HttpGuard guard;
  private final TokenCheck tokenCheck;
  private final PromqlApi promql;
  private final RemoteWriteApi remoteWrite;
  private final OtlpApi otlp;
  private HttpServer server;
  private Supplier<List<GroupStatus>> rules = List::of;

  /** Over any reader and writer: one database, or every shard of Kafka mode. */
  /**
   * @param maxFutureMs {@code saver.limits.maxFutureMs}: the write APIs leave out samples further ahead
   * @param writesBusy  how much of the time lately the writes waited for the database (0 to 1): readers yield to it
   */
  public ApiServer(Vertx vertx, HttpConfig config, SeriesReader store, RetentionConfig retention, RemoteWriteLimits remoteWrite,
                   long maxFutureMs, SampleWriter writer, DoubleSupplier writesBusy) {
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.retention = retention;
    this.limiter = new QueryLimiter(vertx, config.maxQueries(), config.queueWaitMs(), config.queryShare(), config.busyQueryShare(), writesBusy);
    this.guard = new HttpGuard(vertx, "api", config.limits());
    this.tokenCheck = new TokenCheck(config.token(), guard.errors());
    this.promql = new PromqlApi(vertx, config, store, limiter, retention);
    SampleTimes times = new SampleTimes(retention.rawDays(), maxFutureMs);
    this.remoteWrite = new RemoteWriteApi(vertx, remoteWrite, writer, times);
    this.otlp = new OtlpApi(vertx, remoteWrite, writer, times);
  }

  /** Where {@code /api/v1/rules} and {@code /api/v1/alerts} read the rules' state (none until set). */
  public void rules(Supplier<List<GroupStatus>> states) {
    this.rules = states;
  }

  public Future<Void> listen() {
    Router router = Router.router(vertx);
    router.route().handler(this::refuseBodies);
    router.route("/api/*").handler(TimeoutHandler.create(config.queueWaitMs() + 2 * config.queryTimeoutMs() + 1_000)).handler(this::authorize);
    router.route("/v1/*").handler(this::authorize);
    otlp.mount(router);
    router.get("/api/hosts").handler(ctx -> answer(ctx, "hosts", store::hosts));
    router.get("/api/series").handler(ctx -> answer(ctx, "series", () -> {
      String host = ctx.request().getParam("host");
      if (host == null || host.isEmpty()) {
        throw new BadQueryException("host is required");
      }
      return store.series(host);
    }));
    router.get("/api/query").handler(ctx -> answer(ctx, "query", () -> store.query(QueryRequest.parse(
      ctx.request().getParam("host"), ctx.queryParam("metric"), ctx.request().getParam("tags"), ctx.request().getParam("from"),
      ctx.request().getParam("to"), ctx.request().getParam("step"), System.currentTimeMillis(), retention), fields(ctx))));
    remoteWrite.mount(router);
    router.get("/api/v1/rules").handler(ctx -> {
      JsonArray groups = new JsonArray();
      rules.get().forEach(group -> groups.add(group.rules()));
      promJson(ctx, new JsonObject().put("groups", groups));
    });
    router.get("/api/v1/alerts").handler(ctx -> {
      JsonArray alerts = new JsonArray();
      rules.get().forEach(group -> alerts.addAll(group.alerts()));
      promJson(ctx, new JsonObject().put("alerts", alerts));
    });
    promql.mount(router);
    router.route("/api/*").handler(ctx -> error(ctx, 404, "no such endpoint: try /api/hosts, /api/series, /api/query or /api/v1/query"));
    router.route().handler(ctx -> {
      ctx.response().putHeader("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
      ctx.next();
    });
    router.route().handler(StaticHandler.create("nbnet-dashboard").setIndexPage("index.html"));
    // a PromQL query POSTed as a form may be long (Grafana's regular expressions): up to the body limit, not Vert.x's 8 KiB
    HttpServerOptions options = guard.options(new HttpServerOptions().setHost(config.host()).setPort(config.port())
      .setMaxFormAttributeSize(PromqlApi.BODY_LIMIT));
    config.tls().ifPresent(tls -> tls.applyTo(options));
    server = guard.guard(vertx.createHttpServer(options), router);
    return server.listen().map(s -> {
      String scheme = config.tls().isPresent() ? "https" : "http";
      log.info("dashboard listening on " + config.host() + ":" + s.actualPort() + " (" + scheme + "://" + config.host() + ":" + s.actualPort()
        + "/, API under /api" + (config.token().isPresent() ? ", token required" : "") + ")");
      return null;
    });
  }

  public int actualPort() {
    return server.actualPort();
  }

  private static void promJson(RoutingContext ctx, JsonObject data) {
    ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
      .end(PromJson.success(data.encode(), List.of()));
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** {@code fields=avg,max}: the columns wanted; all of {@link StoreQueries#FIELDS} when absent. */
  private static Set<String> fields(RoutingContext ctx) {
    String fields = ctx.request().getParam("fields");
    if (fields == null || fields.isEmpty()) {
      return StoreQueries.FIELDS;
    }
    Set<String> wanted = Arrays.stream(fields.split(",", -1)).map(String::trim).collect(Collectors.toSet());
    if (!StoreQueries.FIELDS.containsAll(wanted)) {
      throw new BadQueryException("fields: a comma-separated list of avg, min and max");
    }
    return wanted;
  }

  /**
   * Nothing here takes a body but a POST to the Prometheus API (a form, as Grafana sends it; remote
   * write) or to OTLP's {@code /v1/metrics}: any other is refused before it is read (413), and the
   * connection closed.
   */
  private void refuseBodies(RoutingContext ctx) {
    if (PromqlApi.takesBody(ctx) || ctx.request().method().name().equals("POST") && ctx.request().path().equals("/v1/metrics")) {
      ctx.next();
    } else if (guard.refusedBody(ctx.request())) {
      SaverMeters.apiRequests("any", 413).increment();
    } else {
      ctx.next();
    }
  }

  /** The token (see {@link TokenCheck} for the ways it may come); an address that keeps failing is answered 429 for a while. */
  private void authorize(RoutingContext ctx) {
    Optional<TokenCheck.Refusal> refusal = tokenCheck.check(ctx.request());
    if (refusal.isEmpty()) {
      ctx.next();
      return;
    }
    SaverMeters.apiRequests("any", refusal.get().status()).increment();
    refusal.get().retryAfterSeconds().ifPresent(wait -> ctx.response().putHeader("Retry-After", Long.toString(wait)));
    if (refusal.get().status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    error(ctx, refusal.get().status(), refusal.get().message());
  }

  private void answer(RoutingContext ctx, String endpoint, Supplier<Future<?>> work) {
    long began = System.nanoTime();
    limiter.run(() -> {
      try {
        return work.get().map(Object.class::cast);
      } catch (BadQueryException e) {
        return Future.failedFuture(e);
      }
    }).onComplete(done -> {
      int status;
      if (done.succeeded()) {
        status = 200;
        if (!ctx.response().ended()) {
          ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
            .end(done.result() instanceof JsonObject json ? json.toBuffer() : ((io.vertx.core.json.JsonArray) done.result()).toBuffer());
        }
      } else {
        status = statusOf(done.cause());
        if (status == 500) {
          log.warning("API " + endpoint + " failed: " + done.cause());
        }
        if (status == 503) {
          ctx.response().putHeader("Retry-After", "1");
        }
        error(ctx, status, messageOf(status, done.cause()));
      }
      SaverMeters.apiRequests(endpoint, status).increment();
      SaverMeters.apiLatency(endpoint).record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
    });
  }

  private int statusOf(Throwable failure) {
    if (failure instanceof BadQueryException) {
      return 400;
    }
    if (failure instanceof QueryLimiter.BusyException) {
      return 503;
    }
    if (failure instanceof MySQLException sql
      && (sql.getErrorCode() == MARIADB_STATEMENT_TIMEOUT || sql.getErrorCode() == MYSQL_STATEMENT_TIMEOUT)) {
      return 503;
    }
    return 500;
  }

  private String messageOf(int status, Throwable failure) {
    if (status == 500) {
      return "internal error (logged by the saver)";
    }
    if (failure instanceof MySQLException) {
      return "a statement ran past the time limit of " + config.queryTimeoutMs() + " ms: ask for a shorter range or a larger step";
    }
    return failure.getMessage();
  }

  private static void error(RoutingContext ctx, int status, String message) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("error", message).toBuffer());
    }
  }
}
