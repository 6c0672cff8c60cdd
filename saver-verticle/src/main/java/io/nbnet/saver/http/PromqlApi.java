package io.nbnet.saver.http;

import io.nbnet.promql.Engine;
import io.nbnet.promql.Labels;
import io.nbnet.promql.Matcher;
import io.nbnet.promql.PromqlException;
import io.nbnet.promql.QueryResult;
import io.nbnet.promql.Rollups;
import io.nbnet.saver.HttpConfig;
import io.nbnet.saver.metrics.SaverMeters;
import io.nbnet.saver.query.SeriesReader;
import io.nbnet.store.RetentionConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.mysqlclient.MySQLException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The Prometheus HTTP query API ({@code /api/v1/...}) as Grafana and promtool use it: GET or a
 * form-encoded POST; the envelope, time formats and status codes of Prometheus 2.42 (400 bad_data, 422
 * execution, 503 timeout). A query first fetches what its selectors read from the store (counted
 * against {@code maxSamples}), then is evaluated on a worker thread; the whole within
 * {@code queryTimeoutMs} or the request's {@code timeout}, whichever is less, and within the same
 * query slots and budget as {@code /api/*}. A query's answer says where its time went in a
 * {@code Server-Timing} header ({@code fetch}: MySQL and the blocks' decoding; {@code eval}; {@code encode}).
 * A query that reaches back past the raw tier's retention is answered from the finest rollup tier that
 * still holds its start, rewritten by {@link Rollups}, with a warning that says so.
 */
final class PromqlApi {

  private static final Logger log = Logger.getLogger(PromqlApi.class.getName());
  /** Prometheus's cap on the points of one series of a range query. */
  private static final long MAX_POINTS = 11_000;
  static final int BODY_LIMIT = 1 << 20;
  /** Entries of a series, labels or label values answer at most, unless {@code limit} asks fewer. */
  private static final int MAX_LIST = 10_000;
  /** {@code match[]} selectors one request may give. */
  private static final int MAX_SELECTORS = 64;
  /** MariaDB's and MySQL's errors for a statement stopped by its time limit. */
  private static final int MARIADB_STATEMENT_TIMEOUT = 1969;
  private static final int MYSQL_STATEMENT_TIMEOUT = 3024;
  private final HttpConfig config;
  private final SeriesReader reader;
  private final QueryLimiter limiter;
  private final PromQueries queries;

  PromqlApi(Vertx vertx, HttpConfig config, SeriesReader reader, QueryLimiter limiter, RetentionConfig retention) {
    this.config = config;
    this.reader = reader;
    this.limiter = limiter;
    this.queries = new PromQueries(vertx, config, reader, retention);
  }

  /** True for the requests that may carry a form body: POSTs to this API. */
  static boolean takesBody(RoutingContext ctx) {
    return ctx.request().method().name().equals("POST") && ctx.request().path().startsWith("/api/v1/");
  }

  void mount(Router router) {
    router.post("/api/v1/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.route("/api/v1/query").handler(ctx -> answer(ctx, "promql_query", () -> instant(params(ctx))));
    router.route("/api/v1/query_range").handler(ctx -> answer(ctx, "promql_query_range", () -> range(params(ctx))));
    router.route("/api/v1/series").handler(ctx -> answer(ctx, "promql_series", () -> series(params(ctx))));
    router.route("/api/v1/labels").handler(ctx -> answer(ctx, "promql_labels", () -> labelNames(params(ctx))));
    router.route("/api/v1/label/:name/values").handler(ctx -> answer(ctx, "promql_label_values",
      () -> labelValues(ctx.pathParam("name"), params(ctx))));
    router.route("/api/v1/metadata").handler(ctx -> reply(ctx, 200, PromJson.success("{}", List.of())));
    router.route("/api/v1/query_exemplars").handler(ctx -> reply(ctx, 200, PromJson.success("[]", List.of())));
    router.route("/api/v1/status/buildinfo").handler(ctx -> reply(ctx, 200, PromJson.success("{\"version\":\"2.42.0\",\"revision\":\"nbnet\","
      + "\"branch\":\"\",\"buildUser\":\"nbnet\",\"buildDate\":\"\",\"goVersion\":\"\"}", List.of())));
  }

  /** The query string's and the form's parameters together. */
  private static MultiMap params(RoutingContext ctx) {
    MultiMap all = MultiMap.caseInsensitiveMultiMap().addAll(ctx.request().params());
    if (ctx.request().method().name().equals("POST")) {
      all.addAll(ctx.request().formAttributes());
    }
    return all;
  }

  /** @param timing the {@code Server-Timing} header: where the query's time went; empty for none */
  private record Answer(String data, List<String> warnings, String timing) {

    Answer(String data, List<String> warnings) {
      this(data, warnings, "");
    }
  }

  /** When a query's phases ended: fetching from the store, evaluating, writing the answer. */
  private static final class Phases {
    final long began = System.nanoTime();
    long fetched;
    long evaluated;

    Answer answer(QueryResult result, List<String> warnings) {
      evaluated = System.nanoTime();
      String data = PromJson.result(result);
      long encoded = System.nanoTime();
      return new Answer(data, warnings, String.format(java.util.Locale.ROOT, "fetch;dur=%.1f, eval;dur=%.1f, encode;dur=%.1f",
        (fetched - began) / 1e6, (evaluated - fetched) / 1e6, (encoded - evaluated) / 1e6));
    }
  }

  private void answer(RoutingContext ctx, String endpoint, Supplier<Future<Answer>> work) {
    long began = System.nanoTime();
    limiter.run(() -> {
      try {
        return work.get();
      } catch (RuntimeException | StackOverflowError e) {
        return Future.failedFuture(e);
      }
    }).onComplete(done -> {
      int status;
      if (done.succeeded()) {
        status = 200;
        if (!done.result().timing().isEmpty()) {
          ctx.response().putHeader("Server-Timing", done.result().timing());
        }
        reply(ctx, 200, PromJson.success(done.result().data(), done.result().warnings()));
      } else if (done.cause() instanceof PromqlException e) {
        status = switch (e.kind()) {
          case BAD_DATA -> 400;
          case EXECUTION -> 422;
          case TIMEOUT -> 503;
        };
        reply(ctx, status, PromJson.error(e.kind().errorType(), e.getMessage()));
      } else if (done.cause() instanceof MySQLException sql
        && (sql.getErrorCode() == MARIADB_STATEMENT_TIMEOUT || sql.getErrorCode() == MYSQL_STATEMENT_TIMEOUT)) {
        status = 503;
        reply(ctx, 503, PromJson.error("timeout", "a statement ran past the time limit of " + config.queryTimeoutMs()
          + " ms: ask for a shorter range or fewer series"));
      } else if (done.cause() instanceof QueryLimiter.BusyException busy) {
        status = 503;
        ctx.response().putHeader("Retry-After", "1");
        reply(ctx, 503, PromJson.error("unavailable", busy.getMessage()));
      } else {
        status = 500;
        log.warning("API " + endpoint + " failed: " + done.cause());
        reply(ctx, 500, PromJson.error("internal", "internal error (logged by the saver)"));
      }
      SaverMeters.apiRequests(endpoint, status).increment();
      SaverMeters.apiLatency(endpoint).record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
    });
  }

  private static void reply(RoutingContext ctx, int status, Buffer body) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store").end(body);
    }
  }

  private Future<Answer> instant(MultiMap params) {
    String query = required(params, "query");
    long time = PromParams.time(params.get("time"), "time", System.currentTimeMillis());
    long timeout = timeout(params);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
    Phases phases = new Phases();
    PromQueries.Plan plan = queries.plan(query, time, time, 0);
    return queries.fetch(plan, deadline)
      .compose(fetched -> {
        phases.fetched = System.nanoTime();
        return queries.evaluate(fetched, 1, plan, () -> phases.answer(plan.engine().instant(fetched.source(), plan.query(), time,
          remaining(deadline)), plan.warnings()));
      });
  }

  private Future<Answer> range(MultiMap params) {
    String query = required(params, "query");
    long start = PromParams.time(required(params, "start"), "start", 0);
    long end = PromParams.time(required(params, "end"), "end", 0);
    long step = PromParams.duration(required(params, "step"), "step");
    if (end < start) {
      throw PromParams.bad("end timestamp must not be before start time");
    }
    if (step <= 0) {
      throw PromParams.bad("zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    if ((end - start) / step > MAX_POINTS) {
      throw PromParams.bad("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
    }
    long timeout = timeout(params);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
    Phases phases = new Phases();
    PromQueries.Plan plan = queries.plan(query, start, end, step);
    return queries.fetch(plan, deadline)
      .compose(fetched -> {
        phases.fetched = System.nanoTime();
        return queries.evaluate(fetched, (end - start) / step + 1, plan, () -> phases.answer(plan.engine().range(fetched.source(),
          plan.query(), start, end, step, remaining(deadline)), plan.warnings()));
      });
  }

  private Future<Answer> series(MultiMap params) {
    List<String> selectors = params.getAll("match[]");
    if (selectors.isEmpty()) {
      throw PromParams.bad("no match[] parameter provided");
    }
    if (selectors.size() > MAX_SELECTORS) {
      throw PromParams.bad("at most " + MAX_SELECTORS + " match[] selectors are taken");
    }
    int limit = limit(params);
    Map<Labels, Boolean> found = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (String selector : selectors) {
      List<Matcher> matchers = Engine.parseSelector(selector);
      chain = chain.compose(v -> found.size() > limit ? Future.succeededFuture() : reader.seriesLabels(matchers).map(labels -> {
        for (Labels set : labels) {
          if (found.size() > limit) {
            break; // the answer is cut at limit anyway: more is not kept
          }
          found.put(set, true);
        }
        return null;
      }));
    }
    return chain.map(v -> {
      List<Labels> sets = new ArrayList<>(new TreeSet<>(found.keySet()));
      List<String> warnings = sets.size() > limit ? List.of("results truncated due to limit") : List.of();
      return new Answer(PromJson.labelSets(sets.subList(0, Math.min(limit, sets.size()))), warnings);
    });
  }

  private Future<Answer> labelNames(MultiMap params) {
    int limit = limit(params);
    TreeSet<String> names = new TreeSet<>();
    return eachMatching(params, set -> {
      for (int i = 0; i < set.size(); i++) {
        names.add(set.name(i));
      }
    }).map(v -> truncated(names, limit));
  }

  private Future<Answer> labelValues(String name, MultiMap params) {
    if (!name.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
      throw PromParams.bad("invalid label name: \"" + name + "\"");
    }
    int limit = limit(params);
    TreeSet<String> values = new TreeSet<>();
    return eachMatching(params, set -> {
      String value = set.get(name);
      if (!value.isEmpty()) {
        values.add(value);
      }
    }).map(v -> truncated(values, limit));
  }

  /**
   * Hands {@code each} the label sets of the series {@code match[]} selects, or of every series (up to
   * {@code maxSeries}), one selector's at a time: what is kept is what {@code each} keeps.
   */
  private Future<Void> eachMatching(MultiMap params, Consumer<Labels> each) {
    List<String> selectors = params.getAll("match[]");
    if (selectors.size() > MAX_SELECTORS) {
      throw PromParams.bad("at most " + MAX_SELECTORS + " match[] selectors are taken");
    }
    List<List<Matcher>> all = new ArrayList<>();
    if (selectors.isEmpty()) {
      all.add(List.of());
    } else {
      selectors.forEach(selector -> all.add(Engine.parseSelector(selector)));
    }
    Future<Void> chain = Future.succeededFuture();
    for (List<Matcher> matchers : all) {
      chain = chain.compose(v -> reader.seriesLabels(matchers).map(found -> {
        found.forEach(each);
        return null;
      }));
    }
    return chain;
  }

  private static Answer truncated(TreeSet<String> values, int limit) {
    List<String> sorted = new ArrayList<>(values);
    List<String> warnings = sorted.size() > limit ? List.of("results truncated due to limit") : List.of();
    return new Answer(PromJson.strings(sorted.subList(0, Math.min(limit, sorted.size()))), warnings);
  }

  private static int limit(MultiMap params) {
    String limit = params.get("limit");
    if (limit == null || limit.isEmpty()) {
      return MAX_LIST;
    }
    try {
      int asked = Integer.parseInt(limit);
      if (asked < 0) {
        throw PromParams.bad("limit must be non-negative");
      }
      return asked == 0 ? MAX_LIST : Math.min(asked, MAX_LIST);
    } catch (NumberFormatException e) {
      throw PromParams.bad("cannot parse \"" + limit + "\" to a valid limit");
    }
  }

  private long timeout(MultiMap params) {
    String timeout = params.get("timeout");
    long asked = timeout == null || timeout.isEmpty() ? Long.MAX_VALUE : PromParams.duration(timeout, "timeout");
    return Math.min(config.queryTimeoutMs(), asked);
  }

  private static long remaining(long deadlineNanos) {
    long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    if (left <= 0) {
      throw new PromqlException(PromqlException.Kind.TIMEOUT, "query timed out in query execution");
    }
    return left;
  }

  private static String required(MultiMap params, String name) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      throw PromParams.bad("invalid parameter \"" + name + "\": parameter is required");
    }
    return value;
  }
}
