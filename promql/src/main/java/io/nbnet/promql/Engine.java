package io.nbnet.promql;

import io.nbnet.promql.eval.Evaluation;
import io.nbnet.promql.parser.Ast;
import io.nbnet.promql.parser.Durations;
import io.nbnet.promql.parser.Parser;

import java.util.List;

/**
 * Evaluates PromQL queries over a {@link SeriesSource}, with Prometheus 2.42's semantics for float
 * samples. Thread-safe: each query has state of its own.
 *
 * @param lookbackMillis         how far back an instant selector looks for a sample (Prometheus: 5 minutes)
 * @param maxSamples             samples a query may hold in memory at once; past it the query fails (422)
 * @param subqueryStepMillis     the step of a subquery that names none (Prometheus: the global evaluation interval, 1 minute)
 */
public record Engine(long lookbackMillis, long maxSamples, long subqueryStepMillis) {

  public static final long DEFAULT_LOOKBACK_MILLIS = 300_000;
  public static final long DEFAULT_SUBQUERY_STEP_MILLIS = 60_000;

  /** The value of {@code query} at {@code timeMillis}. */
  public QueryResult instant(SeriesSource source, String query, long timeMillis, long timeoutMillis) {
    return Evaluation.run(source, query, timeMillis, timeMillis, 0, this, deadline(timeoutMillis));
  }

  /** The value of {@code query} at {@code start}, {@code start + step}, ... up to {@code end}: a matrix. */
  public QueryResult.Matrix range(SeriesSource source, String query, long start, long end, long stepMillis, long timeoutMillis) {
    return (QueryResult.Matrix) Evaluation.run(source, query, start, end, stepMillis, this, deadline(timeoutMillis));
  }

  /**
   * What evaluating {@code query} over {@code [start, end]} will ask its source for, in order: fetch them
   * into a {@link PrefetchedSource}, then evaluate with it. Refuses a query that does not parse.
   */
  public List<Selection> selections(String query, long start, long end, long stepMillis) {
    return Evaluation.selections(query, start, end, stepMillis, this);
  }

  /** Milliseconds of a duration as PromQL writes them ({@code 5m}, {@code 1h30m}); {@code BAD_DATA} otherwise. */
  public static long parseDuration(String duration) {
    return Durations.parse(duration);
  }

  /** Refuses a query that is not valid PromQL ({@code BAD_DATA}, with its place); evaluates nothing. */
  public static void check(String query) {
    Parser.parse(query);
  }

  /** A series written {@code name{label="value", ...}}, as Prometheus's test files and promtool write one. */
  public static Labels parseMetric(String text) {
    return Parser.parseMetric(text);
  }

  /** A duration as Prometheus prints one ({@code 1h30m}, {@code 0s}). */
  public static String formatDuration(long millis) {
    return Durations.format(millis);
  }

  /** The matchers of a series selector ({@code match[]} of the series and label APIs): {@code up}, {@code {job="a"}}. */
  public static List<Matcher> parseSelector(String selector) {
    Ast.Expr expr = Parser.parse(selector);
    if (!(expr instanceof Ast.VectorSelector vector)) {
      throw new PromqlException(PromqlException.Kind.BAD_DATA, "1:1: parse error: expected a series selector, got " + selector);
    }
    return vector.matchers;
  }

  private static long deadline(long timeoutMillis) {
    return System.nanoTime() + timeoutMillis * 1_000_000;
  }
}
