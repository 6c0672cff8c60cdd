package io.nbnet.promql.eval;

import io.nbnet.promql.Engine;
import io.nbnet.promql.PromqlException;
import io.nbnet.promql.QueryResult;
import io.nbnet.promql.Selection;
import io.nbnet.promql.SeriesSource;
import io.nbnet.promql.parser.Ast;
import io.nbnet.promql.parser.Parser;
import io.nbnet.promql.parser.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** One query from text to result, as Prometheus's engine runs an instant or a range query. */
public final class Evaluation {

  private Evaluation() {
  }

  /** @param interval 0 for an instant query at {@code start} */
  public static QueryResult run(SeriesSource source, String query, long start, long end, long interval, Engine engine, long deadlineNanos) {
    Ast.Expr parsed = Parser.parse(query);
    if (interval != 0 && parsed.type() != ValueType.SCALAR && parsed.type() != ValueType.VECTOR) {
      throw new PromqlException(PromqlException.Kind.BAD_DATA, "invalid expression type \"" + parsed.type().documented()
        + "\" for range query, must be Scalar or instant Vector");
    }
    Ast.Expr expr = Preprocessor.preprocess(parsed, start, end);
    QueryContext context = new QueryContext(source, engine.lookbackMillis(), engine.maxSamples(), range -> engine.subqueryStepMillis(),
      deadlineNanos);
    Preprocessor.populate(context, expr, start, end);
    Preprocessor.setOffsetForAtModifier(start, expr);
    if (interval == 0) {
      return instant(new Evaluator(context, start, start, 1, 0).eval(expr), expr.type(), start);
    }
    List<Series> matrix = new ArrayList<>(new Evaluator(context, start, end, interval, 0).matrix(expr));
    List<QueryResult.Series> series = new ArrayList<>(matrix.size());
    matrix.sort(Comparator.comparing(s -> s.metric));
    for (Series computed : matrix) {
      series.add(new QueryResult.Series(computed.metric, Arrays.copyOfRange(computed.times, computed.from, computed.to),
        Arrays.copyOfRange(computed.values, computed.from, computed.to)));
    }
    return new QueryResult.Matrix(series);
  }

  /** The selections {@link #run} will make, recorded by running its preparation over a source that has nothing. */
  public static List<Selection> selections(String query, long start, long end, long interval, Engine engine) {
    List<Selection> selections = new ArrayList<>();
    SeriesSource recorder = (matchers, from, to) -> {
      selections.add(new Selection(matchers, from, to));
      return List.of();
    };
    Ast.Expr expr = Preprocessor.preprocess(Parser.parse(query), start, end);
    QueryContext context = new QueryContext(recorder, engine.lookbackMillis(), engine.maxSamples(), range -> engine.subqueryStepMillis(),
      Long.MAX_VALUE);
    Preprocessor.populate(context, expr, start, end);
    return selections;
  }

  private static QueryResult instant(Object value, ValueType type, long time) {
    if (value instanceof Evaluator.StringValue string) {
      return new QueryResult.Text(time, string.value());
    }
    @SuppressWarnings("unchecked")
    List<Series> matrix = (List<Series>) value;
    if (type == ValueType.SCALAR) {
      return new QueryResult.Scalar(time, matrix.get(0).value(0));
    }
    if (type == ValueType.VECTOR) {
      List<QueryResult.Sample> samples = new ArrayList<>(matrix.size());
      for (Series series : matrix) {
        samples.add(new QueryResult.Sample(series.metric, time, series.value(0)));
      }
      return new QueryResult.Vector(samples);
    }
    List<QueryResult.Series> series = new ArrayList<>(matrix.size());
    for (Series computed : matrix) {
      series.add(new QueryResult.Series(computed.metric, Arrays.copyOfRange(computed.times, computed.from, computed.to),
        Arrays.copyOfRange(computed.values, computed.from, computed.to)));
    }
    return new QueryResult.Matrix(series);
  }
}
