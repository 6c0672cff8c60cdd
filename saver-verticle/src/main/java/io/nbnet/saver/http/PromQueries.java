package io.nbnet.saver.http;

import io.nbnet.promql.Engine;
import io.nbnet.promql.PrefetchedSource;
import io.nbnet.promql.Rollups;
import io.nbnet.promql.Selection;
import io.nbnet.promql.StoredSeries;
import io.nbnet.saver.HttpConfig;
import io.nbnet.saver.promql.SampleBudget;
import io.nbnet.saver.query.SeriesReader;
import io.nbnet.store.RetentionConfig;
import io.nbnet.store.Tier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * How the query API answers a PromQL query: planned (from the raw samples, or rewritten for the
 * finest rollup tier that holds its start), its selections fetched against one sample budget, then
 * evaluated (on a worker thread, or on the event loop when it is small).
 */
final class PromQueries {

  /**
   * A query whose fetch gave at most this many samples, and at most {@link #INLINE_POINTS} series
   * times steps, without a subquery, is evaluated on the event loop: it takes microseconds, less than
   * the two thread hops to a worker and back.
   */
  private static final long INLINE_SAMPLES = 20_000;
  private static final long INLINE_POINTS = 100_000;
  /** A subquery's brackets, {@code [1h:5m]}: its evaluation costs what its inner steps cost, whatever it fetched. */
  private static final Pattern SUBQUERY = Pattern.compile("\\[[^\\[\\]]*:[^\\[\\]]*]");

  private final Vertx vertx;
  private final HttpConfig config;
  private final SeriesReader reader;
  private final RetentionConfig retention;
  private final Engine engine;

  PromQueries(Vertx vertx, HttpConfig config, SeriesReader reader, RetentionConfig retention) {
    this.vertx = vertx;
    this.config = config;
    this.reader = reader;
    this.retention = retention;
    this.engine = new Engine(Engine.DEFAULT_LOOKBACK_MILLIS, config.maxSamples(), Engine.DEFAULT_SUBQUERY_STEP_MILLIS);
  }

  /** How a query is answered: by which engine, as which text, from which tier, reading what, with which warnings. */
  record Plan(Engine engine, String query, Tier tier, List<Selection> selections, List<String> warnings) {
  }

  /**
   * The raw samples answer a query whose selectors read only what the raw tier still holds; one that
   * reaches back further is rewritten for the finest tier that holds its start, at a step no finer than
   * that tier's buckets, with a lookback of one bucket: the newest whole bucket is always in reach.
   *
   * @param step 0 for an instant query
   */
  Plan plan(String query, long start, long end, long step) {
    List<Selection> selections = engine.selections(query, start, end, step);
    long earliest = selections.stream().mapToLong(Selection::start).min().orElse(Long.MAX_VALUE);
    Tier tier = retention.finestHolding(earliest, System.currentTimeMillis());
    if (tier == Tier.RAW) {
      return new Plan(engine, query, tier, selections, List.of());
    }
    String reason = "the query reaches back past the raw tier's retention (" + retention.rawDays() + " days)";
    if (step != 0 && step < tier.resolutionMillis()) {
      throw PromParams.bad(reason + ": it is answered from the " + tier.label() + " rollups, which need a step of at least " + tier.label());
    }
    Engine rollupEngine = new Engine(tier.resolutionMillis(), config.maxSamples(), Engine.DEFAULT_SUBQUERY_STEP_MILLIS);
    String rewritten = Rollups.rewrite(query, tier.label(), tier.resolutionMillis());
    return new Plan(rollupEngine, rewritten, tier, rollupEngine.selections(rewritten, start, end, step), List.of("answered from the "
      + tier.label() + " rollups: " + reason + "; approximate where a range does not hold whole " + tier.label() + " buckets"));
  }

  /** What a query's selectors read: the series and samples, counted. */
  record Fetched(PrefetchedSource source, long series, long samples) {
  }

  /** Evaluates on the event loop when the query is small (see {@link #INLINE_SAMPLES}), else on a worker thread. */
  <T> Future<T> evaluate(Fetched fetched, long steps, Plan plan, Callable<T> evaluation) {
    if (fetched.samples() > INLINE_SAMPLES || fetched.series() * steps > INLINE_POINTS || SUBQUERY.matcher(plan.query()).find()) {
      return vertx.executeBlocking(evaluation, false);
    }
    try {
      return Future.succeededFuture(evaluation.call());
    } catch (Exception | StackOverflowError e) {
      return Future.failedFuture(e);
    }
  }

  /** What the plan's selectors read, fetched one selection after the other against one sample budget. */
  Future<Fetched> fetch(Plan plan, long deadlineNanos) {
    SampleBudget budget = new SampleBudget(config.maxSamples(), deadlineNanos);
    Map<String, List<StoredSeries>> fetched = new HashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (Selection selection : plan.selections()) {
      chain = chain.compose(v -> fetched.containsKey(selection.key()) ? Future.succeededFuture()
        : reader.select(selection.matchers(), selection.start(), selection.end(), plan.tier(), budget).map(series -> {
          fetched.put(selection.key(), series);
          return null;
        }));
    }
    return chain.map(v -> new Fetched(new PrefetchedSource(fetched), fetched.values().stream().mapToLong(List::size).sum(), budget.taken()));
  }
}
