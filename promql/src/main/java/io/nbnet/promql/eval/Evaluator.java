package io.nbnet.promql.eval;

import io.nbnet.promql.Labels;
import io.nbnet.promql.PromqlException;
import io.nbnet.promql.StoredSeries;
import io.nbnet.promql.Values;
import io.nbnet.promql.parser.Ast;
import io.nbnet.promql.parser.TokenType;
import io.nbnet.promql.parser.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Evaluates an expression at every step from {@code start} to {@code end}, as Prometheus 2.42's
 * evaluator does: every node yields a matrix with a point per step where it has a value, instant
 * selectors look back {@code lookbackMillis} for the newest sample not older, range selectors take
 * {@code [t - range, t]} closed at both ends, and stale markers end a series.
 */
final class Evaluator {

  /** What one step of an operation computes from its arguments' vectors at that step. */
  interface StepCall {
    List<Sample> apply(List<List<Sample>> args, List<List<String>> keys, long ts);
  }

  final QueryContext context;
  final long start;
  final long end;
  final long interval;
  long currentSamples;

  Evaluator(QueryContext context, long start, long end, long interval, long currentSamples) {
    this.context = context;
    this.start = start;
    this.end = end;
    this.interval = interval;
    this.currentSamples = currentSamples;
  }

  int steps() {
    return (int) ((end - start) / interval) + 1;
  }

  /** A matrix ({@code List<Series>}), or a {@link StringValue}. */
  Object eval(Ast.Expr expr) {
    context.checkDeadline();
    if (expr instanceof Ast.AggregateExpr aggregate) {
      return Aggregations.evaluate(this, aggregate);
    }
    if (expr instanceof Ast.Call call) {
      return Calls.evaluate(this, call);
    }
    if (expr instanceof Ast.ParenExpr paren) {
      return eval(paren.expr);
    }
    if (expr instanceof Ast.UnaryExpr unary) {
      return negate(unary);
    }
    if (expr instanceof Ast.BinaryExpr binary) {
      return BinaryOps.evaluate(this, binary);
    }
    if (expr instanceof Ast.NumberLiteral number) {
      return rangeEval(null, (args, keys, ts) -> List.of(new Sample(Labels.EMPTY, ts, number.value)));
    }
    if (expr instanceof Ast.StringLiteral string) {
      return new StringValue(string.value);
    }
    if (expr instanceof Ast.VectorSelector selector) {
      return vectorSelector(selector);
    }
    if (expr instanceof Ast.MatrixSelector matrix) {
      if (start != end) {
        throw new PromqlException(PromqlException.Kind.EXECUTION, "cannot do range evaluation of matrix selector");
      }
      return matrixSelector(matrix);
    }
    if (expr instanceof Ast.SubqueryExpr subquery) {
      return subquery(subquery);
    }
    if (expr instanceof Ast.StepInvariantExpr invariant) {
      return stepInvariant(invariant);
    }
    throw new IllegalStateException("unhandled expression " + expr.getClass().getSimpleName());
  }

  @SuppressWarnings("unchecked")
  List<Series> matrix(Ast.Expr expr) {
    return (List<Series>) eval(expr);
  }

  /**
   * Evaluates {@code exprs}, then calls {@code call} at each step with their vectors at that step (and,
   * with {@code keyOf}, each sample's key); the results, step by step, make the output series.
   */
  List<Series> rangeEval(Function<Labels, String> keyOf, StepCall call, Ast.Expr... exprs) {
    int steps = steps();
    List<List<Series>> matrixes = new ArrayList<>(exprs.length);
    long originalSamples = currentSamples;
    for (Ast.Expr expr : exprs) {
      matrixes.add(expr != null && expr.type() != ValueType.STRING ? matrix(expr) : List.of());
    }
    List<List<String>> seriesKeys = new ArrayList<>();
    if (keyOf != null) {
      for (List<Series> matrix : matrixes) {
        List<String> keys = new ArrayList<>(matrix.size());
        matrix.forEach(series -> keys.add(keyOf.apply(series.metric)));
        seriesKeys.add(keys);
      }
    }
    List<List<Sample>> vectors = new ArrayList<>();
    List<List<String>> stepKeys = new ArrayList<>();
    for (int i = 0; i < exprs.length; i++) {
      vectors.add(new ArrayList<>());
      stepKeys.add(new ArrayList<>());
    }
    Map<Labels, Series> output = new LinkedHashMap<>();
    long tempSamples = currentSamples;
    for (long ts = start; ts <= end; ts += interval) {
      context.checkDeadline();
      currentSamples = tempSamples;
      for (int i = 0; i < exprs.length; i++) {
        List<Sample> vector = vectors.get(i);
        vector.clear();
        stepKeys.get(i).clear();
        List<Series> matrix = matrixes.get(i);
        for (int si = 0; si < matrix.size(); si++) {
          Series series = matrix.get(si);
          if (series.size() > 0 && series.time(0) == ts) {
            if (currentSamples >= context.maxSamples) {
              throw QueryContext.tooManySamples();
            }
            vector.add(new Sample(series.metric, ts, series.value(0)));
            if (keyOf != null) {
              stepKeys.get(i).add(seriesKeys.get(i).get(si));
            }
            series.from++;
            currentSamples++;
          }
        }
      }
      List<Sample> result = call.apply(vectors, stepKeys, ts);
      checkUniqueLabelsets(result);
      currentSamples += result.size();
      tempSamples += result.size();
      if (currentSamples > context.maxSamples) {
        throw QueryContext.tooManySamples();
      }
      if (start == end) {
        List<Series> instant = new ArrayList<>(result.size());
        for (Sample sample : result) {
          Series series = new Series(sample.metric(), 1);
          series.add(ts, sample.value());
          instant.add(series);
        }
        currentSamples = originalSamples + result.size();
        return instant;
      }
      for (Sample sample : result) {
        output.computeIfAbsent(sample.metric(), metric -> new Series(metric, steps)).add(ts, sample.value());
      }
    }
    List<Series> matrix = new ArrayList<>(output.values());
    currentSamples = originalSamples + totalSamples(matrix);
    return matrix;
  }

  private List<Series> negate(Ast.UnaryExpr unary) {
    List<Series> matrix = matrix(unary.expr);
    if (unary.op == TokenType.SUB) {
      for (Series series : matrix) {
        series.metric = series.metric.withoutMetricName();
        for (int i = series.from; i < series.to; i++) {
          series.values[i] = -series.values[i];
        }
      }
      checkUniqueSeries(matrix);
    }
    return matrix;
  }

  private List<Series> vectorSelector(Ast.VectorSelector selector) {
    List<Series> matrix = new ArrayList<>();
    int steps = steps();
    for (StoredSeries stored : context.series(selector)) {
      Series series = new Series(stored.labels(), Math.min(steps, 16));
      for (long ts = start; ts <= end; ts += interval) {
        int found = lookup(stored, ts - selector.offset);
        if (found >= 0) {
          if (currentSamples >= context.maxSamples) {
            throw QueryContext.tooManySamples();
          }
          series.add(ts, stored.values()[found]);
          currentSamples++;
        }
      }
      if (series.size() > 0) {
        matrix.add(series);
      }
    }
    return matrix;
  }

  /** The selector's samples at one step, with the times they were taken ({@code timestamp()} needs them). */
  List<Sample> vectorSelectorAt(Ast.VectorSelector selector, long ts) {
    List<Sample> vector = new ArrayList<>();
    for (StoredSeries stored : context.series(selector)) {
      int found = lookup(stored, ts - selector.offset);
      if (found >= 0) {
        vector.add(new Sample(stored.labels(), stored.times()[found], stored.values()[found]));
        if (++currentSamples > context.maxSamples) {
          throw QueryContext.tooManySamples();
        }
      }
    }
    return vector;
  }

  /** The index of the newest sample at or before {@code refTime} and within the lookback; -1 when none or stale. */
  private int lookup(StoredSeries stored, long refTime) {
    long[] times = stored.times();
    int i = Arrays.binarySearch(times, refTime);
    int index = i >= 0 ? i : -i - 2;
    if (index < 0 || times[index] < refTime - context.lookbackMillis || Values.isStale(stored.values()[index])) {
      return -1;
    }
    return index;
  }

  private List<Series> matrixSelector(Ast.MatrixSelector node) {
    long maxt = start - node.selector.offset;
    long mint = maxt - node.range;
    List<Series> matrix = new ArrayList<>();
    for (StoredSeries stored : context.series(node.selector)) {
      Series series = window(stored, mint, maxt, new Series(stored.labels(), 16));
      if (series.size() > 0) {
        matrix.add(series);
      }
    }
    return matrix;
  }

  /** {@code into}, cleared, holding the stored series' samples in {@code [mint, maxt]} but stale markers. */
  Series window(StoredSeries stored, long mint, long maxt, Series into) {
    currentSamples -= into.size();
    into.clear();
    long[] times = stored.times();
    int i = Arrays.binarySearch(times, mint);
    for (int at = i >= 0 ? i : -i - 1; at < times.length && times[at] <= maxt; at++) {
      double value = stored.values()[at];
      if (!Values.isStale(value)) {
        if (currentSamples >= context.maxSamples) {
          throw QueryContext.tooManySamples();
        }
        into.add(times[at], value);
        currentSamples++;
      }
    }
    return into;
  }

  private List<Series> subquery(Ast.SubqueryExpr subquery) {
    long offset = subquery.offset;
    long range = subquery.range;
    long step = subquery.step != 0 ? subquery.step : context.noStepSubqueryInterval.applyAsLong(range);
    // the first step-aligned time at or after start - offset - range (Go's division truncates toward zero)
    long newStart = step * ((start - offset - range) / step);
    if (newStart < start - offset - range) {
      newStart += step;
    }
    Evaluator inner = new Evaluator(context, newStart, end - offset, step, currentSamples);
    if (newStart != start) {
      Preprocessor.setOffsetForAtModifier(newStart, subquery.expr);
    }
    List<Series> result = inner.matrix(subquery.expr);
    currentSamples = inner.currentSamples;
    return result;
  }

  private List<Series> stepInvariant(Ast.StepInvariantExpr invariant) {
    if (invariant.expr instanceof Ast.StringLiteral || invariant.expr instanceof Ast.NumberLiteral) {
      return matrix(invariant.expr);
    }
    Evaluator once = new Evaluator(context, start, start, interval, currentSamples);
    Object result = once.eval(invariant.expr);
    currentSamples = once.currentSamples;
    if (invariant.expr instanceof Ast.MatrixSelector || invariant.expr instanceof Ast.SubqueryExpr) {
      @SuppressWarnings("unchecked")
      List<Series> matrix = (List<Series>) result;
      return matrix;
    }
    @SuppressWarnings("unchecked")
    List<Series> matrix = (List<Series>) result;
    for (Series series : matrix) {
      double value = series.value(0);
      for (long ts = start + interval; ts <= end; ts += interval) {
        series.add(ts, value);
        if (++currentSamples > context.maxSamples) {
          throw QueryContext.tooManySamples();
        }
      }
    }
    return matrix;
  }

  static long totalSamples(List<Series> matrix) {
    long total = 0;
    for (Series series : matrix) {
      total += series.size();
    }
    return total;
  }

  static void checkUniqueLabelsets(List<Sample> vector) {
    if (vector.size() < 2) {
      return;
    }
    Set<Labels> seen = new HashSet<>();
    for (Sample sample : vector) {
      if (!seen.add(sample.metric())) {
        throw sameLabelset();
      }
    }
  }

  static void checkUniqueSeries(List<Series> matrix) {
    Set<Labels> seen = new HashSet<>();
    for (Series series : matrix) {
      if (!seen.add(series.metric)) {
        throw sameLabelset();
      }
    }
  }

  private static PromqlException sameLabelset() {
    return new PromqlException(PromqlException.Kind.EXECUTION, "vector cannot contain metrics with the same labelset");
  }

  /** A string literal's value (a query may be just one). */
  record StringValue(String value) {
  }
}
