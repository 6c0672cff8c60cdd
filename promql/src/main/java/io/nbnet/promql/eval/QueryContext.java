package io.nbnet.promql.eval;

import io.nbnet.promql.PromqlException;
import io.nbnet.promql.SeriesSource;
import io.nbnet.promql.StoredSeries;
import io.nbnet.promql.parser.Ast;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/** What every evaluator of one query shares: its series, its limits and its deadline. */
final class QueryContext {

  final SeriesSource source;
  final long lookbackMillis;
  final long maxSamples;
  final LongUnaryOperator noStepSubqueryInterval;
  private final long deadlineNanos;
  private final Map<Ast.VectorSelector, List<StoredSeries>> series = new IdentityHashMap<>();
  final List<String> warnings = new ArrayList<>();

  QueryContext(SeriesSource source, long lookbackMillis, long maxSamples, LongUnaryOperator noStepSubqueryInterval, long deadlineNanos) {
    this.source = source;
    this.lookbackMillis = lookbackMillis;
    this.maxSamples = maxSamples;
    this.noStepSubqueryInterval = noStepSubqueryInterval;
    this.deadlineNanos = deadlineNanos;
  }

  void load(Ast.VectorSelector selector, long start, long end) {
    series.put(selector, source.select(selector.matchers, start, end));
  }

  void put(Ast.VectorSelector selector, List<StoredSeries> given) {
    series.put(selector, given);
  }

  List<StoredSeries> series(Ast.VectorSelector selector) {
    List<StoredSeries> found = series.get(selector);
    return found == null ? List.of() : found;
  }

  void checkDeadline() {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new PromqlException(PromqlException.Kind.TIMEOUT, "query timed out in expression evaluation");
    }
  }

  static PromqlException tooManySamples() {
    return new PromqlException(PromqlException.Kind.EXECUTION, "query processing would load too many samples into memory in query execution");
  }
}
