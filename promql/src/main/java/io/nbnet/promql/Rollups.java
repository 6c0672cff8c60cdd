package io.nbnet.promql;

import io.nbnet.promql.parser.Ast;
import io.nbnet.promql.parser.Function;
import io.nbnet.promql.parser.Parser;
import io.nbnet.promql.parser.TokenType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A query rewritten so that rollups can answer it: a store that keeps only the min, max, sum, count
 * and last value of each bucket offers each of them as a series of its own, selected by the matcher
 * {@code __rollup__="<aspect>"}, with one point per bucket at the bucket's last millisecond. Over those,
 * {@code min_over_time} of the mins is the min, {@code sum_over_time} of the counts the count, and so
 * on; exact where a range holds whole buckets. Plain selectors read the last values. Anything else
 * (a rate, a quantile, a subquery) needs the samples themselves and is refused.
 */
public final class Rollups {

  /** The label whose matcher selects one aspect of the rollups; a query may not name it itself. */
  public static final String ASPECT_LABEL = "__rollup__";

  /** What a bucket keeps of its samples, each read as a series of its own. */
  public enum Aspect {
    MIN, MAX, SUM, COUNT, LAST;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The aspect a matcher names; null for none. */
    public static Aspect of(String label) {
      for (Aspect aspect : values()) {
        if (aspect.label().equals(label)) {
          return aspect;
        }
      }
      return null;
    }
  }

  /** The function over the aspect's series that gives each {@code *_over_time} its answer. */
  private static final Map<String, Aspect> OVER_TIME = Map.of("min_over_time", Aspect.MIN, "max_over_time", Aspect.MAX,
    "sum_over_time", Aspect.SUM, "count_over_time", Aspect.COUNT, "last_over_time", Aspect.LAST);

  private final String tier;
  private final long bucketMillis;

  private Rollups(String tier, long bucketMillis) {
    this.tier = tier;
    this.bucketMillis = bucketMillis;
  }

  /**
   * {@code query} over the aspects of a tier of {@code bucketMillis} buckets (named {@code tier} in
   * errors): fails with {@code EXECUTION} for what that tier cannot answer.
   */
  public static String rewrite(String query, String tier, long bucketMillis) {
    return new Rollups(tier, bucketMillis).rewrite(Parser.parse(query)).toString();
  }

  private Ast.Expr rewrite(Ast.Expr expr) {
    if (expr instanceof Ast.VectorSelector selector) {
      return aspect(selector, Aspect.LAST);
    }
    if (expr instanceof Ast.Call call) {
      return rewrite(call);
    }
    if (expr instanceof Ast.MatrixSelector || expr instanceof Ast.SubqueryExpr) {
      throw cannot("a range vector " + expr + " outside min, max, sum, count, avg or last_over_time");
    }
    if (expr instanceof Ast.AggregateExpr aggregate) {
      aggregate.expr = rewrite(aggregate.expr);
      aggregate.param = aggregate.param == null ? null : rewrite(aggregate.param);
    } else if (expr instanceof Ast.BinaryExpr binary) {
      binary.lhs = rewrite(binary.lhs);
      binary.rhs = rewrite(binary.rhs);
    } else if (expr instanceof Ast.UnaryExpr unary) {
      unary.expr = rewrite(unary.expr);
    } else if (expr instanceof Ast.ParenExpr paren) {
      paren.expr = rewrite(paren.expr);
    }
    return expr;
  }

  private Ast.Expr rewrite(Ast.Call call) {
    String name = call.function.name();
    if (call.args.size() == 1 && call.args.get(0) instanceof Ast.MatrixSelector range) {
      if (range.range < bucketMillis) {
        throw cannot(name + "(" + range + ") over less than a bucket");
      }
      if (name.equals("avg_over_time")) {
        Ast.Expr sum = overTime("sum_over_time", range, Aspect.SUM);
        Ast.Expr count = overTime("sum_over_time", range, Aspect.COUNT);
        return new Ast.ParenExpr(new Ast.BinaryExpr(TokenType.DIV, sum, count, new Ast.VectorMatching(), false));
      }
      Aspect aspect = OVER_TIME.get(name);
      if (aspect == null) {
        throw cannot(name + "()");
      }
      // the count of the samples in a range is the sum of its buckets' counts
      return overTime(aspect == Aspect.COUNT ? "sum_over_time" : name, range, aspect);
    }
    List<Ast.Expr> args = new ArrayList<>(call.args.size());
    for (Ast.Expr arg : call.args) {
      args.add(rewrite(arg));
    }
    return new Ast.Call(call.function, args);
  }

  private static Ast.Call overTime(String function, Ast.MatrixSelector range, Aspect aspect) {
    return new Ast.Call(Function.named(function).orElseThrow(), List.of(new Ast.MatrixSelector(aspect(range.selector, aspect), range.range)));
  }

  private static Ast.VectorSelector aspect(Ast.VectorSelector selector, Aspect aspect) {
    List<Matcher> matchers = new ArrayList<>(selector.matchers.size() + 1);
    for (Matcher matcher : selector.matchers) {
      if (matcher.name().equals(ASPECT_LABEL)) {
        throw new PromqlException(PromqlException.Kind.BAD_DATA, "the label " + ASPECT_LABEL + " is reserved for reading rollups");
      }
      matchers.add(matcher);
    }
    matchers.add(new Matcher(Matcher.Type.EQUAL, ASPECT_LABEL, aspect.label()));
    Ast.VectorSelector copy = new Ast.VectorSelector(selector.name, matchers);
    copy.offset = selector.offset;
    copy.originalOffset = selector.originalOffset;
    copy.timestamp = selector.timestamp;
    copy.startOrEnd = selector.startOrEnd;
    return copy;
  }

  private PromqlException cannot(String what) {
    return new PromqlException(PromqlException.Kind.EXECUTION, what + " cannot be answered from the " + tier + " rollups: "
      + "they answer plain selectors and min, max, sum, count, avg and last_over_time over a range of at least a bucket");
  }
}
