package io.nbnet.promql;

import io.nbnet.promql.parser.Ast;
import io.nbnet.promql.parser.Parser;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Prometheus's {@code atModifierTestCases}: the query with {@code @ t} everywhere, and the other times to evaluate it at. */
final class AtModifierCases {

  private static final Set<String> STEP_DEPENDENT = Set.of("days_in_month", "day_of_month", "day_of_week", "day_of_year", "hour", "minute",
    "month", "year", "predict_linear", "time", "timestamp");

  private AtModifierCases() {
  }

  /** The rewritten query and its evaluation times; none when a function depends on the step's time. */
  static Map<String, long[]> of(String query, long evalTime) {
    Ast.Expr expr = Parser.parse(query);
    boolean[] stepDependent = {false};
    walk(expr, false, evalTime, stepDependent);
    if (stepDependent[0]) {
      return Map.of();
    }
    long[] times = evalTime == 0 ? new long[] {-1000, 0, 1000} : new long[] {-10 * evalTime, 0, evalTime / 5, evalTime, 10 * evalTime};
    return Map.of(expr.toString(), times);
  }

  private static void walk(Ast.Expr node, boolean underAtSubquery, long evalTime, boolean[] stepDependent) {
    boolean skip = underAtSubquery;
    if (!skip) {
      if (node instanceof Ast.VectorSelector selector && selector.timestamp == null) {
        selector.timestamp = evalTime;
      } else if (node instanceof Ast.MatrixSelector matrix && matrix.selector.timestamp == null) {
        matrix.selector.timestamp = evalTime;
      } else if (node instanceof Ast.SubqueryExpr subquery && subquery.timestamp == null) {
        subquery.timestamp = evalTime;
      }
    }
    if (node instanceof Ast.Call call && STEP_DEPENDENT.contains(call.function.name())) {
      stepDependent[0] = true;
    }
    boolean childrenSkipped = skip || node instanceof Ast.SubqueryExpr subquery && subquery.timestamp != null;
    List<Ast.Expr> children = node.children();
    for (Ast.Expr child : children) {
      walk(child, childrenSkipped, evalTime, stepDependent);
    }
  }
}
