package io.nbnet.promql.eval;

import io.nbnet.promql.Labels;
import io.nbnet.promql.PromqlException;
import io.nbnet.promql.parser.Ast;
import io.nbnet.promql.parser.TokenType;
import io.nbnet.promql.parser.ValueType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Binary operations: between scalars, a vector and a scalar, and vectors matched by their labels. */
final class BinaryOps {

  private BinaryOps() {
  }

  static List<Series> evaluate(Evaluator ev, Ast.BinaryExpr e) {
    ValueType left = e.lhs.type();
    ValueType right = e.rhs.type();
    if (left == ValueType.SCALAR && right == ValueType.SCALAR) {
      return ev.rangeEval(null, (v, keys, ts) -> List.of(new Sample(Labels.EMPTY, ts, scalar(e.op, v.get(0).get(0).value(),
        v.get(1).get(0).value()))), e.lhs, e.rhs);
    }
    if (left == ValueType.VECTOR && right == ValueType.VECTOR) {
      Function<Labels, String> signature = signature(e.matching);
      return switch (e.op) {
        case LAND -> ev.rangeEval(signature, (v, keys, ts) -> and(v.get(0), v.get(1), keys.get(0), keys.get(1)), e.lhs, e.rhs);
        case LOR -> ev.rangeEval(signature, (v, keys, ts) -> or(v.get(0), v.get(1), keys.get(0), keys.get(1)), e.lhs, e.rhs);
        case LUNLESS -> ev.rangeEval(signature, (v, keys, ts) -> unless(v.get(0), v.get(1), keys.get(0), keys.get(1)), e.lhs, e.rhs);
        default -> {
          Map<String, Labels> resultMetrics = new HashMap<>();
          yield ev.rangeEval(signature, (v, keys, ts) -> vectors(e, v.get(0), v.get(1), keys.get(0), keys.get(1), resultMetrics),
            e.lhs, e.rhs);
        }
      };
    }
    boolean swap = left == ValueType.SCALAR;
    return ev.rangeEval(null, (v, keys, ts) -> swap
      ? vectorScalar(e.op, v.get(1), v.get(0).get(0).value(), true, e.returnBool)
      : vectorScalar(e.op, v.get(0), v.get(1).get(0).value(), false, e.returnBool), e.lhs, e.rhs);
  }

  /** The key two samples must share to match: the {@code on} labels, or all but the {@code ignoring} ones and the name. */
  private static Function<Labels, String> signature(Ast.VectorMatching matching) {
    if (matching.on) {
      Set<String> on = new HashSet<>(matching.matchingLabels);
      return labels -> labels.signature(on, null);
    }
    Set<String> ignoring = new HashSet<>(matching.matchingLabels);
    ignoring.add(Labels.METRIC_NAME);
    return labels -> labels.signature(null, ignoring);
  }

  private static List<Sample> and(List<Sample> lhs, List<Sample> rhs, List<String> lhsKeys, List<String> rhsKeys) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return List.of();
    }
    Set<String> right = new HashSet<>(rhsKeys);
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < lhs.size(); i++) {
      if (right.contains(lhsKeys.get(i))) {
        out.add(lhs.get(i));
      }
    }
    return out;
  }

  private static List<Sample> or(List<Sample> lhs, List<Sample> rhs, List<String> lhsKeys, List<String> rhsKeys) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      List<Sample> out = new ArrayList<>(lhs);
      out.addAll(rhs);
      return out;
    }
    Set<String> left = new HashSet<>(lhsKeys);
    List<Sample> out = new ArrayList<>(lhs);
    for (int j = 0; j < rhs.size(); j++) {
      if (!left.contains(rhsKeys.get(j))) {
        out.add(rhs.get(j));
      }
    }
    return out;
  }

  private static List<Sample> unless(List<Sample> lhs, List<Sample> rhs, List<String> lhsKeys, List<String> rhsKeys) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return new ArrayList<>(lhs);
    }
    Set<String> right = new HashSet<>(rhsKeys);
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < lhs.size(); i++) {
      if (!right.contains(lhsKeys.get(i))) {
        out.add(lhs.get(i));
      }
    }
    return out;
  }

  private static List<Sample> vectors(Ast.BinaryExpr e, List<Sample> lhsIn, List<Sample> rhsIn, List<String> lhsKeysIn,
                                      List<String> rhsKeysIn, Map<String, Labels> resultMetrics) {
    if (lhsIn.isEmpty() || rhsIn.isEmpty()) {
      return List.of();
    }
    Ast.VectorMatching matching = e.matching;
    boolean oneToMany = matching.card == Ast.Cardinality.ONE_TO_MANY;
    List<Sample> lhs = oneToMany ? rhsIn : lhsIn;
    List<Sample> rhs = oneToMany ? lhsIn : rhsIn;
    List<String> lhsKeys = oneToMany ? rhsKeysIn : lhsKeysIn;
    List<String> rhsKeys = oneToMany ? lhsKeysIn : rhsKeysIn;
    Map<String, Sample> rightSigs = new HashMap<>();
    for (int i = 0; i < rhs.size(); i++) {
      Sample duplicate = rightSigs.put(rhsKeys.get(i), rhs.get(i));
      if (duplicate != null) {
        Sample rs = rhs.get(i);
        Labels matched = matching.on ? rs.metric().keep(matching.matchingLabels)
          : rs.metric().without(withName(matching.matchingLabels));
        throw new PromqlException(PromqlException.Kind.EXECUTION, "found duplicate series for the match group " + matched + " on the "
          + (oneToMany ? "left" : "right") + " hand-side of the operation: [" + rs.metric() + ", " + duplicate.metric() + "]"
          + ";many-to-many matching not allowed: matching labels must be unique on one side");
      }
    }
    Map<String, Set<Labels>> matchedSigs = new HashMap<>();
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < lhs.size(); i++) {
      Sample ls = lhs.get(i);
      String sig = lhsKeys.get(i);
      Sample rs = rightSigs.get(sig);
      if (rs == null) {
        continue;
      }
      double vl = oneToMany ? rs.value() : ls.value();
      double vr = oneToMany ? ls.value() : rs.value();
      double value = element(e.op, vl, vr);
      boolean keep = kept(e.op, vl, vr);
      if (e.returnBool) {
        value = keep ? 1 : 0;
      } else if (!keep) {
        continue;
      }
      Labels metric = resultMetric(ls.metric(), rs.metric(), e.op, matching, resultMetrics);
      if (e.returnBool) {
        metric = metric.withoutMetricName();
      }
      Set<Labels> inserted = matchedSigs.get(sig);
      if (matching.card == Ast.Cardinality.ONE_TO_ONE) {
        if (matchedSigs.containsKey(sig)) {
          throw new PromqlException(PromqlException.Kind.EXECUTION,
            "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
        }
        matchedSigs.put(sig, null);
      } else {
        if (inserted == null) {
          inserted = new HashSet<>();
          matchedSigs.put(sig, inserted);
        } else if (inserted.contains(metric)) {
          throw new PromqlException(PromqlException.Kind.EXECUTION, "multiple matches for labels: grouping labels must ensure unique matches");
        }
        inserted.add(metric);
      }
      out.add(new Sample(metric, ls.time(), value));
    }
    return out;
  }

  private static List<String> withName(List<String> labels) {
    List<String> all = new ArrayList<>(labels);
    all.add(Labels.METRIC_NAME);
    return all;
  }

  private static Labels resultMetric(Labels lhs, Labels rhs, TokenType op, Ast.VectorMatching matching, Map<String, Labels> cache) {
    String key = lhs.toString() + '\u0002' + rhs.toString();
    Labels cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    Map<String, String> result = lhs.toMap();
    if (dropsMetricName(op)) {
      result.remove(Labels.METRIC_NAME);
    }
    if (matching.card == Ast.Cardinality.ONE_TO_ONE) {
      if (matching.on) {
        result.keySet().retainAll(new HashSet<>(matching.matchingLabels));
      } else {
        matching.matchingLabels.forEach(result::remove);
      }
    }
    for (String name : matching.include) {
      String value = rhs.get(name);
      if (!value.isEmpty()) {
        result.put(name, value);
      } else {
        result.remove(name);
      }
    }
    Labels metric = Labels.of(result);
    cache.put(key, metric);
    return metric;
  }

  private static List<Sample> vectorScalar(TokenType op, List<Sample> vector, double scalar, boolean swap, boolean returnBool) {
    List<Sample> out = new ArrayList<>(vector.size());
    for (Sample sample : vector) {
      double lv = swap ? scalar : sample.value();
      double rv = swap ? sample.value() : scalar;
      double value = element(op, lv, rv);
      boolean keep = kept(op, lv, rv);
      if (op.isComparison() && swap) {
        value = rv;
      }
      if (returnBool) {
        value = keep ? 1 : 0;
        keep = true;
      }
      if (keep) {
        Labels metric = dropsMetricName(op) || returnBool ? sample.metric().withoutMetricName() : sample.metric();
        out.add(new Sample(metric, sample.time(), value));
      }
    }
    return out;
  }

  /** The value of {@code lhs op rhs} for arithmetic; the left value for comparisons. */
  private static double element(TokenType op, double lhs, double rhs) {
    return switch (op) {
      case ADD -> lhs + rhs;
      case SUB -> lhs - rhs;
      case MUL -> lhs * rhs;
      case DIV -> lhs / rhs;
      case POW -> GoMath.pow(lhs, rhs);
      case MOD -> GoMath.mod(lhs, rhs);
      case ATAN2 -> Math.atan2(lhs, rhs);
      case EQLC, NEQ, GTR, LSS, GTE, LTE -> lhs;
      default -> throw new PromqlException(PromqlException.Kind.EXECUTION, "operator \"" + op.text() + "\" not allowed between vectors");
    };
  }

  private static boolean kept(TokenType op, double lhs, double rhs) {
    return switch (op) {
      case EQLC -> lhs == rhs;
      case NEQ -> lhs != rhs;
      case GTR -> lhs > rhs;
      case LSS -> lhs < rhs;
      case GTE -> lhs >= rhs;
      case LTE -> lhs <= rhs;
      default -> true;
    };
  }

  static double scalar(TokenType op, double lhs, double rhs) {
    return switch (op) {
      case EQLC -> lhs == rhs ? 1 : 0;
      case NEQ -> lhs != rhs ? 1 : 0;
      case GTR -> lhs > rhs ? 1 : 0;
      case LSS -> lhs < rhs ? 1 : 0;
      case GTE -> lhs >= rhs ? 1 : 0;
      case LTE -> lhs <= rhs ? 1 : 0;
      default -> element(op, lhs, rhs);
    };
  }

  private static boolean dropsMetricName(TokenType op) {
    return op == TokenType.ADD || op == TokenType.SUB || op == TokenType.DIV || op == TokenType.MUL || op == TokenType.POW
      || op == TokenType.MOD;
  }
}
