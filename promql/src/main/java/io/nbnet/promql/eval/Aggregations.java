package io.nbnet.promql.eval;

import io.nbnet.promql.Labels;
import io.nbnet.promql.PromqlException;
import io.nbnet.promql.Values;
import io.nbnet.promql.parser.Ast;
import io.nbnet.promql.parser.TokenType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** Aggregation operators ({@code sum}, {@code topk}, {@code quantile} ...) by or without labels, as Prometheus 2.42 computes them. */
final class Aggregations {

  /** One group's running state. */
  private static final class Group {
    final Labels labels;
    double value;
    double mean;
    int count;
    final List<Sample> heap = new ArrayList<>();

    Group(Labels labels, double first) {
      this.labels = labels;
      this.value = first;
      this.mean = first;
      this.count = 1;
    }
  }

  private Aggregations() {
  }

  static List<Series> evaluate(Evaluator ev, Ast.AggregateExpr e) {
    List<String> grouping = new ArrayList<>(new TreeSet<>(e.grouping));
    Function<Labels, String> keyOf = groupKey(grouping, e.without);
    Ast.Expr param = e.param == null ? null : Calls.unwrap(e.param);
    if (param instanceof Ast.StringLiteral label) {
      return ev.rangeEval(keyOf, (v, keys, ts) -> aggregate(e.op, grouping, e.without, 0, label.value, v.get(0), keys.get(0), ts),
        e.expr);
    }
    return ev.rangeEval(keyOf, (v, keys, ts) -> aggregate(e.op, grouping, e.without, e.param != null ? v.get(0).get(0).value() : 0, null,
      v.get(1), keys.get(1), ts), e.param, e.expr);
  }

  private static Function<Labels, String> groupKey(List<String> grouping, boolean without) {
    if (without) {
      Set<String> dropped = new HashSet<>(grouping);
      dropped.add(Labels.METRIC_NAME);
      return labels -> labels.signature(null, dropped);
    }
    Set<String> kept = new HashSet<>(grouping);
    return labels -> labels.signature(kept, null);
  }

  private static List<Sample> aggregate(TokenType op, List<String> groupingIn, boolean without, double param, String valueLabel,
                                        List<Sample> vector, List<String> keys, long ts) {
    long k = 0;
    if (op == TokenType.TOPK || op == TokenType.BOTTOMK) {
      if (!(param >= Long.MIN_VALUE && param <= Long.MAX_VALUE)) {
        throw new PromqlException(PromqlException.Kind.EXECUTION, "Scalar value " + Values.formatPlain(param) + " overflows int64");
      }
      k = (long) param;
      if (k < 1) {
        return List.of();
      }
    }
    List<String> grouping = groupingIn;
    Function<Labels, String> keyOf = null;
    if (op == TokenType.COUNT_VALUES) {
      if (!valueLabel.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        throw new PromqlException(PromqlException.Kind.EXECUTION, "invalid label name \"" + valueLabel + "\"");
      }
      if (!without) {
        grouping = new ArrayList<>(new TreeSet<>(grouping));
        grouping.add(valueLabel);
        grouping.sort(null);
      }
      keyOf = groupKey(grouping, without);
    }
    Map<String, Group> groups = new LinkedHashMap<>();
    for (int si = 0; si < vector.size(); si++) {
      Sample sample = vector.get(si);
      Labels metric = sample.metric();
      String key;
      if (op == TokenType.COUNT_VALUES) {
        metric = metric.with(valueLabel, Values.formatPlain(sample.value()));
        key = keyOf.apply(metric);
      } else {
        key = keys.get(si);
      }
      Group group = groups.get(key);
      double v = sample.value();
      if (group == null) {
        Labels groupLabels;
        if (without) {
          List<String> dropped = new ArrayList<>(grouping);
          dropped.add(Labels.METRIC_NAME);
          groupLabels = metric.without(dropped);
        } else if (!grouping.isEmpty()) {
          groupLabels = metric.keep(grouping);
        } else {
          groupLabels = Labels.EMPTY;
        }
        group = new Group(groupLabels, v);
        groups.put(key, group);
        switch (op) {
          case STDVAR, STDDEV -> group.value = 0;
          case TOPK, QUANTILE, BOTTOMK -> group.heap.add(new Sample(sample.metric(), ts, v));
          case GROUP -> group.value = 1;
          default -> {
            // the first value is the group's
          }
        }
        continue;
      }
      switch (op) {
        case SUM -> group.value += v;
        case AVG -> average(group, v);
        case GROUP -> {
          // one is one
        }
        case MAX -> {
          if (group.value < v || Double.isNaN(group.value)) {
            group.value = v;
          }
        }
        case MIN -> {
          if (group.value > v || Double.isNaN(group.value)) {
            group.value = v;
          }
        }
        case COUNT, COUNT_VALUES -> group.count++;
        case STDVAR, STDDEV -> {
          group.count++;
          double delta = v - group.mean;
          group.mean += delta / group.count;
          group.value += delta * (v - group.mean);
        }
        case TOPK -> GoHeap.offer(group.heap, new Sample(sample.metric(), ts, v), k, GoHeap.TOP);
        case BOTTOMK -> GoHeap.offer(group.heap, new Sample(sample.metric(), ts, v), k, GoHeap.BOTTOM);
        case QUANTILE -> group.heap.add(sample);
        default -> throw new IllegalStateException("not an aggregation: " + op);
      }
    }
    List<Sample> out = new ArrayList<>();
    for (Group group : groups.values()) {
      double value = group.value;
      switch (op) {
        case AVG -> value = group.mean;
        case COUNT, COUNT_VALUES -> value = group.count;
        case STDVAR -> value = group.value / group.count;
        case STDDEV -> value = Math.sqrt(group.value / group.count);
        case TOPK, BOTTOMK -> {
          out.addAll(GoHeap.sortedForOutput(group.heap, op == TokenType.TOPK ? GoHeap.TOP : GoHeap.BOTTOM));
          continue;
        }
        case QUANTILE -> {
          List<Double> values = new ArrayList<>(group.heap.size());
          group.heap.forEach(s -> values.add(s.value()));
          value = Quantiles.quantile(param, values);
        }
        default -> {
          // the running value is the result
        }
      }
      out.add(new Sample(group.labels, ts, value));
    }
    return out;
  }

  private static void average(Group group, double v) {
    group.count++;
    if (Double.isInfinite(group.mean)) {
      if (Double.isInfinite(v) && (group.mean > 0) == (v > 0)) {
        return;
      }
      if (!Double.isInfinite(v) && !Double.isNaN(v)) {
        return;
      }
    }
    group.mean += v / group.count - group.mean / group.count;
  }
}
