package io.nbnet.promql.eval;

import io.nbnet.promql.parser.Ast;
import io.nbnet.promql.parser.TokenType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What Prometheus does to a tree before evaluating it: resolves {@code @ start()} and {@code @ end()},
 * wraps the parts whose value does not change from step to step, sets selectors' offsets for {@code @},
 * and works out which time range each selector reads.
 */
final class Preprocessor {

  /** Functions whose value depends on the step's time: never step-invariant. */
  private static final Set<String> AT_MODIFIER_UNSAFE = Set.of("days_in_month", "day_of_month", "day_of_week", "day_of_year", "hour",
    "minute", "month", "year", "predict_linear", "time", "timestamp");

  private Preprocessor() {
  }

  /** Visits every node with the path of its ancestors (outermost first). */
  interface Visitor {
    void visit(Ast.Expr node, List<Ast.Expr> path);
  }

  static void inspect(Ast.Expr node, List<Ast.Expr> path, Visitor visitor) {
    visitor.visit(node, path);
    List<Ast.Expr> inner = new ArrayList<>(path);
    inner.add(node);
    for (Ast.Expr child : node.children()) {
      inspect(child, inner, visitor);
    }
  }

  static Ast.Expr preprocess(Ast.Expr expr, long start, long end) {
    return stepInvariant(expr, start, end) ? new Ast.StepInvariantExpr(expr) : expr;
  }

  private static boolean stepInvariant(Ast.Expr expr, long start, long end) {
    if (expr instanceof Ast.VectorSelector selector) {
      resolveStartOrEnd(selector, start, end);
      return selector.timestamp != null;
    }
    if (expr instanceof Ast.AggregateExpr aggregate) {
      return stepInvariant(aggregate.expr, start, end);
    }
    if (expr instanceof Ast.BinaryExpr binary) {
      boolean left = stepInvariant(binary.lhs, start, end);
      boolean right = stepInvariant(binary.rhs, start, end);
      if (left && right) {
        return true;
      }
      if (left) {
        binary.lhs = new Ast.StepInvariantExpr(binary.lhs);
      }
      if (right) {
        binary.rhs = new Ast.StepInvariantExpr(binary.rhs);
      }
      return false;
    }
    if (expr instanceof Ast.Call call) {
      boolean invariant = !AT_MODIFIER_UNSAFE.contains(call.function.name());
      boolean[] args = new boolean[call.args.size()];
      for (int i = 0; i < args.length; i++) {
        args[i] = stepInvariant(call.args.get(i), start, end);
        invariant &= args[i];
      }
      if (invariant) {
        return true;
      }
      for (int i = 0; i < args.length; i++) {
        if (args[i]) {
          call.args.set(i, new Ast.StepInvariantExpr(call.args.get(i)));
        }
      }
      return false;
    }
    if (expr instanceof Ast.MatrixSelector matrix) {
      return stepInvariant(matrix.selector, start, end);
    }
    if (expr instanceof Ast.SubqueryExpr subquery) {
      if (stepInvariant(subquery.expr, start, end)) {
        subquery.expr = new Ast.StepInvariantExpr(subquery.expr);
      }
      if (subquery.startOrEnd == TokenType.START) {
        subquery.timestamp = start;
      } else if (subquery.startOrEnd == TokenType.END) {
        subquery.timestamp = end;
      }
      return subquery.timestamp != null;
    }
    if (expr instanceof Ast.ParenExpr paren) {
      return stepInvariant(paren.expr, start, end);
    }
    if (expr instanceof Ast.UnaryExpr unary) {
      return stepInvariant(unary.expr, start, end);
    }
    return expr instanceof Ast.StringLiteral || expr instanceof Ast.NumberLiteral;
  }

  private static void resolveStartOrEnd(Ast.VectorSelector selector, long start, long end) {
    if (selector.startOrEnd == TokenType.START) {
      selector.timestamp = start;
    } else if (selector.startOrEnd == TokenType.END) {
      selector.timestamp = end;
    }
  }

  /** Offsets of selectors and subqueries under {@code expr} adjusted so that {@code @} holds when evaluated at {@code evalTime}. */
  static void setOffsetForAtModifier(long evalTime, Ast.Expr expr) {
    inspect(expr, List.of(), (node, path) -> {
      if (node instanceof Ast.VectorSelector selector) {
        selector.offset = offsetFor(evalTime, selector.timestamp, selector.originalOffset, path);
      } else if (node instanceof Ast.MatrixSelector matrix) {
        matrix.selector.offset = offsetFor(evalTime, matrix.selector.timestamp, matrix.selector.originalOffset, path);
      } else if (node instanceof Ast.SubqueryExpr subquery) {
        subquery.offset = offsetFor(evalTime, subquery.timestamp, subquery.originalOffset, path);
      }
    });
  }

  private static long offsetFor(long evalTime, Long timestamp, long originalOffset, List<Ast.Expr> path) {
    if (timestamp == null) {
      return originalOffset;
    }
    SubqueryTimes subquery = SubqueryTimes.of(path);
    long subqueryOffset = subquery.offset();
    if (subquery.timestamp() != null) {
      subqueryOffset += evalTime - subquery.timestamp();
    }
    long offsetForTimestamp = evalTime - timestamp;
    return originalOffset + offsetForTimestamp - subqueryOffset;
  }

  /** The offsets and ranges of the subqueries on a path, summed; reset by a subquery with {@code @}. */
  record SubqueryTimes(long offset, long range, Long timestamp) {

    static SubqueryTimes of(List<Ast.Expr> path) {
      long offset = 0;
      long range = 0;
      Long timestamp = null;
      for (Ast.Expr node : path) {
        if (node instanceof Ast.SubqueryExpr subquery) {
          offset += subquery.originalOffset;
          range += subquery.range;
          if (subquery.timestamp != null) {
            offset = subquery.originalOffset;
            range = subquery.range;
            timestamp = subquery.timestamp;
          }
        }
      }
      return new SubqueryTimes(offset, range, timestamp);
    }
  }

  /** Loads every selector's series for the time range it reads, as Prometheus's {@code populateSeries} selects them. */
  static void populate(QueryContext context, Ast.Expr expr, long start, long end) {
    long[] evalRange = {0};
    inspect(expr, List.of(), (node, path) -> {
      if (node instanceof Ast.VectorSelector selector) {
        long[] range = selectorRange(context, selector, path, evalRange[0], start, end);
        context.load(selector, range[0], range[1]);
        evalRange[0] = 0;
      } else if (node instanceof Ast.MatrixSelector matrix) {
        evalRange[0] = matrix.range;
      }
    });
  }

  private static long[] selectorRange(QueryContext context, Ast.VectorSelector selector, List<Ast.Expr> path, long evalRange, long start,
                                      long end) {
    SubqueryTimes subquery = SubqueryTimes.of(path);
    long from = start;
    long to = end;
    if (subquery.timestamp() != null) {
      from = subquery.timestamp();
      to = subquery.timestamp();
    }
    if (selector.timestamp != null) {
      from = selector.timestamp;
      to = selector.timestamp;
    } else {
      from = from - subquery.offset() - subquery.range();
      to = to - subquery.offset();
    }
    from -= evalRange == 0 ? context.lookbackMillis : evalRange;
    return new long[] {from - selector.originalOffset, to - selector.originalOffset};
  }
}
