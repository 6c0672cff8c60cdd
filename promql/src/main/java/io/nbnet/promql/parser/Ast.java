package io.nbnet.promql.parser;

import io.nbnet.promql.Matcher;
import io.nbnet.promql.Labels;
import io.nbnet.promql.Strings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * PromQL's syntax tree, as Prometheus's parser builds it. Nodes are mutable where Prometheus's are: the
 * engine sets selectors' offsets for {@code @} and wraps step-invariant parts before it evaluates. Each
 * node prints as PromQL that parses back to it.
 */
public final class Ast {

  private Ast() {
  }

  /** An expression of the query. */
  public abstract static sealed class Expr permits NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, SubqueryExpr, Call,
    AggregateExpr, BinaryExpr, UnaryExpr, ParenExpr, StepInvariantExpr {

    public abstract ValueType type();

    /** The expressions directly inside this one, in order. */
    public List<Expr> children() {
      return List.of();
    }
  }

  public static final class NumberLiteral extends Expr {
    public double value;

    public NumberLiteral(double value) {
      this.value = value;
    }

    @Override
    public ValueType type() {
      return ValueType.SCALAR;
    }

    @Override
    public String toString() {
      return Durations.goFloat(value);
    }
  }

  public static final class StringLiteral extends Expr {
    public final String value;

    public StringLiteral(String value) {
      this.value = value;
    }

    @Override
    public ValueType type() {
      return ValueType.STRING;
    }

    @Override
    public String toString() {
      return Strings.quote(value);
    }
  }

  /** {@code name{matchers}}, its name also one of its matchers. */
  public static final class VectorSelector extends Expr {
    public final String name;
    public final List<Matcher> matchers;
    /** The offset to evaluate at, in ms: the written one, adjusted for {@code @}. */
    public long offset;
    public long originalOffset;
    /** The time of {@code @}, in ms; null without one. */
    public Long timestamp;
    /** {@code @ start()} or {@code @ end()}: START or END; null otherwise. */
    public TokenType startOrEnd;

    public VectorSelector(String name, List<Matcher> matchers) {
      this.name = name;
      this.matchers = matchers;
    }

    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }

    @Override
    public String toString() {
      return selectorText() + atText(timestamp, startOrEnd) + offsetText(originalOffset);
    }

    String selectorText() {
      List<String> shown = new ArrayList<>();
      for (Matcher matcher : matchers) {
        if (!(matcher.name().equals(Labels.METRIC_NAME) && matcher.type() == Matcher.Type.EQUAL && matcher.value().equals(name))) {
          shown.add(matcher.toString());
        }
      }
      shown.sort(null);
      return shown.isEmpty() ? name : name + "{" + String.join(",", shown) + "}";
    }
  }

  public static final class MatrixSelector extends Expr {
    public final VectorSelector selector;
    public final long range;

    public MatrixSelector(VectorSelector selector, long range) {
      this.selector = selector;
      this.range = range;
    }

    @Override
    public ValueType type() {
      return ValueType.MATRIX;
    }

    @Override
    public List<Expr> children() {
      return List.of(selector);
    }

    @Override
    public String toString() {
      return selector.selectorText() + "[" + Durations.format(range) + "]" + atText(selector.timestamp, selector.startOrEnd)
        + offsetText(selector.originalOffset);
    }
  }

  public static final class SubqueryExpr extends Expr {
    public Expr expr;
    public final long range;
    /** 0: the engine's default step. */
    public final long step;
    public long offset;
    public long originalOffset;
    public Long timestamp;
    public TokenType startOrEnd;

    public SubqueryExpr(Expr expr, long range, long step) {
      this.expr = expr;
      this.range = range;
      this.step = step;
    }

    @Override
    public ValueType type() {
      return ValueType.MATRIX;
    }

    @Override
    public List<Expr> children() {
      return List.of(expr);
    }

    @Override
    public String toString() {
      return expr + "[" + Durations.format(range) + ":" + (step == 0 ? "" : Durations.format(step)) + "]" + atText(timestamp, startOrEnd)
        + offsetText(originalOffset);
    }
  }

  public static final class Call extends Expr {
    public final Function function;
    public final List<Expr> args;

    public Call(Function function, List<Expr> args) {
      this.function = function;
      this.args = args;
    }

    @Override
    public ValueType type() {
      return function.returnType();
    }

    @Override
    public List<Expr> children() {
      return args;
    }

    @Override
    public String toString() {
      return function.name() + "(" + args.stream().map(Object::toString).collect(Collectors.joining(", ")) + ")";
    }
  }

  public static final class AggregateExpr extends Expr {
    public final TokenType op;
    public Expr expr;
    /** {@code topk}'s k, {@code quantile}'s q, {@code count_values}'s label; null for the others. */
    public Expr param;
    public final List<String> grouping;
    public final boolean without;

    public AggregateExpr(TokenType op, Expr expr, Expr param, List<String> grouping, boolean without) {
      this.op = op;
      this.expr = expr;
      this.param = param;
      this.grouping = grouping;
      this.without = without;
    }

    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }

    @Override
    public List<Expr> children() {
      return param == null ? List.of(expr) : List.of(param, expr);
    }

    @Override
    public String toString() {
      String text = op.text();
      if (without) {
        text += " without (" + String.join(", ", grouping) + ") ";
      } else if (!grouping.isEmpty()) {
        text += " by (" + String.join(", ", grouping) + ") ";
      }
      return text + "(" + (param != null ? param + ", " : "") + expr + ")";
    }
  }

  public enum Cardinality { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY }

  /** How the two sides of a binary operation between vectors match. */
  public static final class VectorMatching {
    public Cardinality card = Cardinality.ONE_TO_ONE;
    public List<String> matchingLabels = List.of();
    public boolean on;
    public List<String> include = List.of();
  }

  public static final class BinaryExpr extends Expr {
    public final TokenType op;
    public Expr lhs;
    public Expr rhs;
    /** Null unless both sides are vectors. */
    public VectorMatching matching;
    public final boolean returnBool;

    public BinaryExpr(TokenType op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool) {
      this.op = op;
      this.lhs = lhs;
      this.rhs = rhs;
      this.matching = matching;
      this.returnBool = returnBool;
    }

    @Override
    public ValueType type() {
      return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
    }

    @Override
    public List<Expr> children() {
      return List.of(lhs, rhs);
    }

    @Override
    public String toString() {
      String text = lhs + " " + op.text() + (returnBool ? " bool" : "");
      if (matching != null && (!matching.matchingLabels.isEmpty() || matching.on)) {
        text += " " + (matching.on ? "on" : "ignoring") + " (" + String.join(", ", matching.matchingLabels) + ")";
        if (matching.card == Cardinality.MANY_TO_ONE || matching.card == Cardinality.ONE_TO_MANY) {
          text += " group_" + (matching.card == Cardinality.MANY_TO_ONE ? "left" : "right") + " (" + String.join(", ", matching.include) + ")";
        }
      }
      return text + " " + rhs;
    }
  }

  public static final class UnaryExpr extends Expr {
    public final TokenType op;
    public Expr expr;

    public UnaryExpr(TokenType op, Expr expr) {
      this.op = op;
      this.expr = expr;
    }

    @Override
    public ValueType type() {
      return expr.type();
    }

    @Override
    public List<Expr> children() {
      return List.of(expr);
    }

    @Override
    public String toString() {
      return op.text() + expr;
    }
  }

  public static final class ParenExpr extends Expr {
    public Expr expr;

    public ParenExpr(Expr expr) {
      this.expr = expr;
    }

    @Override
    public ValueType type() {
      return expr.type();
    }

    @Override
    public List<Expr> children() {
      return List.of(expr);
    }

    @Override
    public String toString() {
      return "(" + expr + ")";
    }
  }

  /** A part whose value is the same at every step: evaluated once, at the first. */
  public static final class StepInvariantExpr extends Expr {
    public final Expr expr;

    public StepInvariantExpr(Expr expr) {
      this.expr = expr;
    }

    @Override
    public ValueType type() {
      return expr.type();
    }

    @Override
    public List<Expr> children() {
      return List.of(expr);
    }

    @Override
    public String toString() {
      return expr.toString();
    }
  }

  static String atText(Long timestamp, TokenType startOrEnd) {
    if (timestamp != null) {
      return String.format(Locale.ROOT, " @ %.3f", timestamp / 1000.0);
    }
    if (startOrEnd == TokenType.START) {
      return " @ start()";
    }
    return startOrEnd == TokenType.END ? " @ end()" : "";
  }

  static String offsetText(long offset) {
    if (offset > 0) {
      return " offset " + Durations.format(offset);
    }
    return offset < 0 ? " offset -" + Durations.format(-offset) : "";
  }
}
