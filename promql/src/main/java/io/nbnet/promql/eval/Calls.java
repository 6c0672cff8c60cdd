package io.nbnet.promql.eval;

import io.nbnet.promql.Labels;
import io.nbnet.promql.StoredSeries;
import io.nbnet.promql.parser.Ast;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Function calls: of instant vectors and scalars step by step, of a range vector series by series. */
final class Calls {

  private Calls() {
  }

  static List<Series> evaluate(Evaluator ev, Ast.Call call) {
    String name = call.function.name();
    if (name.equals("timestamp") && unwrap(call.args.get(0)) instanceof Ast.VectorSelector selector) {
      // the times of the samples themselves, not of the steps: read the selector at each step
      return ev.rangeEval(null, (args, keys, ts) -> {
        if (selector.timestamp != null) {
          selector.offset = ts - selector.timestamp;
        }
        return InstantFunctions.timestamp(ev.vectorSelectorAt(selector, ts));
      });
    }
    int matrixIndex = -1;
    for (int i = 0; i < call.args.size(); i++) {
      Ast.Expr arg = unwrap(call.args.get(i));
      if (arg instanceof Ast.MatrixSelector) {
        matrixIndex = i;
        break;
      }
      if (arg instanceof Ast.SubqueryExpr subquery) {
        call.args.set(i, Subqueries.asMatrixSelector(ev, subquery));
        matrixIndex = i;
        break;
      }
    }
    if (matrixIndex < 0) {
      InstantFunctions functions = new InstantFunctions(call);
      return ev.rangeEval(null, (args, keys, ts) -> functions.apply(args, ts), call.args.toArray(new Ast.Expr[0]));
    }
    return overRange(ev, call, name, matrixIndex);
  }

  private static List<Series> overRange(Evaluator ev, Ast.Call call, String name, int matrixIndex) {
    List<List<Series>> otherArgs = new ArrayList<>();
    for (int i = 0; i < call.args.size(); i++) {
      otherArgs.add(i == matrixIndex ? null : ev.matrix(call.args.get(i)));
    }
    Ast.MatrixSelector selector = (Ast.MatrixSelector) unwrap(call.args.get(matrixIndex));
    Ast.VectorSelector vs = selector.selector;
    List<Series> matrix = new ArrayList<>();
    Series window = new Series(Labels.EMPTY, 16);
    double[] scalars = new double[call.args.size()];
    int steps = ev.steps();
    for (StoredSeries stored : ev.context.series(vs)) {
      Labels metric = name.equals("last_over_time") ? stored.labels() : stored.labels().withoutMetricName();
      Series series = new Series(metric, Math.min(steps, 16));
      int step = -1;
      for (long ts = ev.start; ts <= ev.end; ts += ev.interval) {
        step++;
        ev.context.checkDeadline();
        for (int j = 0; j < call.args.size(); j++) {
          if (j != matrixIndex) {
            scalars[j] = otherArgs.get(j).get(0).value(step);
          }
        }
        long maxt = ts - vs.offset;
        ev.window(stored, maxt - selector.range, maxt, window);
        if (window.size() == 0) {
          continue;
        }
        double value = RangeFunctions.apply(name, window, scalars, ts, selector);
        if (!RangeFunctions.isNone(value)) {
          series.add(ts, value);
        }
      }
      if (series.size() > 0) {
        if (ev.currentSamples + series.size() > ev.context.maxSamples) {
          throw QueryContext.tooManySamples();
        }
        matrix.add(series);
        ev.currentSamples += series.size();
      }
    }
    ev.currentSamples -= window.size();
    if (name.equals("absent_over_time")) {
      return absentOverTime(ev, matrix, call.args.get(0));
    }
    Evaluator.checkUniqueSeries(matrix);
    return matrix;
  }

  /** One series of 1s at the steps where no series of the selector has a value. */
  private static List<Series> absentOverTime(Evaluator ev, List<Series> present, Ast.Expr arg) {
    int steps = ev.steps();
    for (Series series : present) {
      if (series.size() == steps) {
        return List.of();
      }
    }
    Set<Long> found = new HashSet<>();
    for (Series series : present) {
      for (int i = 0; i < series.size(); i++) {
        found.add(series.time(i));
      }
    }
    if (found.size() == steps) {
      return List.of();
    }
    Series absent = new Series(InstantFunctions.absentLabels(arg), steps - found.size());
    for (long ts = ev.start; ts <= ev.end; ts += ev.interval) {
      if (!found.contains(ts)) {
        absent.add(ts, 1);
      }
    }
    return List.of(absent);
  }

  /** The expression inside parentheses and a step-invariant wrapper. */
  static Ast.Expr unwrap(Ast.Expr expr) {
    Ast.Expr inner = expr;
    while (inner instanceof Ast.ParenExpr paren) {
      inner = paren.expr;
    }
    if (inner instanceof Ast.StepInvariantExpr invariant) {
      inner = invariant.expr;
    }
    while (inner instanceof Ast.ParenExpr paren) {
      inner = paren.expr;
    }
    return inner;
  }

  static String stringArg(Ast.Expr arg) {
    return ((Ast.StringLiteral) unwrap(arg)).value;
  }
}
