package io.nbnet.promql.eval;

import io.nbnet.promql.Labels;
import io.nbnet.promql.Matcher;
import io.nbnet.promql.PromqlException;
import io.nbnet.promql.RegexExpansion;
import io.nbnet.promql.parser.Ast;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * The functions of instant vectors and scalars, one step at a time, as Prometheus 2.42 computes them.
 * One instance serves one call node over all its steps (it caches label changes as Prometheus does).
 */
final class InstantFunctions {

  private static final double LN2 = 0.693147180559945309417232121458176568;
  private static final double LN10 = 2.30258509299404568401799145468436421;

  private final Ast.Call call;
  private final Map<Labels, Labels> relabelled = new HashMap<>();
  private com.google.re2j.Pattern replaceRegex;

  InstantFunctions(Ast.Call call) {
    this.call = call;
  }

  List<Sample> apply(List<List<Sample>> args, long ts) {
    String name = call.function.name();
    return switch (name) {
      case "abs" -> simple(args, Math::abs);
      case "ceil" -> simple(args, Math::ceil);
      case "floor" -> simple(args, Math::floor);
      case "exp" -> simple(args, Math::exp);
      case "sqrt" -> simple(args, Math::sqrt);
      case "ln" -> simple(args, Math::log);
      case "log2" -> simple(args, InstantFunctions::log2);
      case "log10" -> simple(args, v -> Math.log(v) * (1 / LN10));
      case "sin" -> simple(args, Math::sin);
      case "cos" -> simple(args, Math::cos);
      case "tan" -> simple(args, Math::tan);
      case "asin" -> simple(args, Math::asin);
      case "acos" -> simple(args, Math::acos);
      case "atan" -> simple(args, Math::atan);
      case "sinh" -> simple(args, Math::sinh);
      case "cosh" -> simple(args, Math::cosh);
      case "tanh" -> simple(args, Math::tanh);
      case "asinh" -> simple(args, InstantFunctions::asinh);
      case "acosh" -> simple(args, v -> v < 1 ? Double.NaN : Math.log(v + Math.sqrt(v * v - 1)));
      case "atanh" -> simple(args, v -> 0.5 * Math.log1p(2 * v / (1 - v)));
      case "rad" -> simple(args, v -> v * Math.PI / 180);
      case "deg" -> simple(args, v -> v * 180 / Math.PI);
      case "sgn" -> simple(args, v -> v < 0 ? -1 : v > 0 ? 1 : v);
      case "pi" -> List.of(new Sample(Labels.EMPTY, ts, Math.PI));
      case "time" -> List.of(new Sample(Labels.EMPTY, ts, ts / 1000.0));
      case "timestamp" -> timestamp(args.get(0));
      case "vector" -> List.of(new Sample(Labels.EMPTY, ts, args.get(0).get(0).value()));
      case "scalar" -> List.of(new Sample(Labels.EMPTY, ts, args.get(0).size() == 1 ? args.get(0).get(0).value() : Double.NaN));
      case "clamp" -> clamp(args.get(0), args.get(1).get(0).value(), args.get(2).get(0).value());
      case "clamp_max" -> simple(args, v -> Math.min(args.get(1).get(0).value(), v));
      case "clamp_min" -> simple(args, v -> Math.max(args.get(1).get(0).value(), v));
      case "round" -> round(args);
      case "absent" -> args.get(0).isEmpty() ? List.of(new Sample(absentLabels(call.args.get(0)), ts, 1)) : List.of();
      case "sort" -> Sorting.ascending(args.get(0));
      case "sort_desc" -> Sorting.descending(args.get(0));
      case "label_replace" -> labelReplace(args.get(0));
      case "label_join" -> labelJoin(args.get(0));
      case "histogram_quantile" -> HistogramQuantile.apply(args.get(0).get(0).value(), args.get(1));
      case "histogram_count", "histogram_sum", "histogram_fraction" -> List.of(); // native histograms only: no float sample has one
      case "days_in_month" -> date(args, ts, t -> t.toLocalDate().lengthOfMonth());
      case "day_of_month" -> date(args, ts, ZonedDateTime::getDayOfMonth);
      case "day_of_week" -> date(args, ts, t -> t.getDayOfWeek().getValue() % 7);
      case "day_of_year" -> date(args, ts, ZonedDateTime::getDayOfYear);
      case "hour" -> date(args, ts, ZonedDateTime::getHour);
      case "minute" -> date(args, ts, ZonedDateTime::getMinute);
      case "month" -> date(args, ts, ZonedDateTime::getMonthValue);
      case "year" -> date(args, ts, ZonedDateTime::getYear);
      default -> throw new PromqlException(PromqlException.Kind.BAD_DATA, "function " + name + " is not supported");
    };
  }

  private static List<Sample> simple(List<List<Sample>> args, DoubleUnaryOperator f) {
    List<Sample> out = new ArrayList<>(args.get(0).size());
    for (Sample sample : args.get(0)) {
      out.add(new Sample(sample.metric().withoutMetricName(), sample.time(), f.applyAsDouble(sample.value())));
    }
    return out;
  }

  static List<Sample> timestamp(List<Sample> vector) {
    List<Sample> out = new ArrayList<>(vector.size());
    for (Sample sample : vector) {
      out.add(new Sample(sample.metric().withoutMetricName(), sample.time(), sample.time() / 1000.0));
    }
    return out;
  }

  private static List<Sample> clamp(List<Sample> vector, double min, double max) {
    if (max < min) {
      return List.of();
    }
    List<Sample> out = new ArrayList<>(vector.size());
    for (Sample sample : vector) {
      out.add(new Sample(sample.metric().withoutMetricName(), sample.time(), Math.max(min, Math.min(max, sample.value()))));
    }
    return out;
  }

  private static List<Sample> round(List<List<Sample>> args) {
    double toNearest = args.size() >= 2 ? args.get(1).get(0).value() : 1;
    double inverse = 1.0 / toNearest;
    return simple(args, v -> Math.floor(v * inverse + 0.5) / inverse);
  }

  /** Go's {@code math.Log2}: from the fraction and exponent of {@code v}, exact for powers of two. */
  private static double log2(double v) {
    if (v <= 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return Math.log(v) * (1 / LN2);
    }
    if (v < Double.MIN_NORMAL) {
      return log2(v * 0x1p52) - 52;
    }
    int exponent = Math.getExponent(v) + 1;
    double fraction = v / Math.scalb(1.0, exponent); // in [0.5, 1), as Go's Frexp gives it
    if (fraction == 0.5) {
      return exponent - 1;
    }
    return Math.log(fraction) * (1 / LN2) + exponent;
  }

  private static double asinh(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
      return v;
    }
    double abs = Math.abs(v);
    double result = Math.log(abs + Math.sqrt(abs * abs + 1));
    return v < 0 ? -result : result;
  }

  private static List<Sample> date(List<List<Sample>> args, long ts, ToDoubleFunction<ZonedDateTime> f) {
    if (args.isEmpty()) {
      ZonedDateTime at = Instant.ofEpochSecond(ts / 1000).atZone(ZoneOffset.UTC);
      return List.of(new Sample(Labels.EMPTY, ts, f.applyAsDouble(at)));
    }
    List<Sample> out = new ArrayList<>(args.get(0).size());
    for (Sample sample : args.get(0)) {
      ZonedDateTime at = Instant.ofEpochSecond((long) sample.value()).atZone(ZoneOffset.UTC);
      out.add(new Sample(sample.metric().withoutMetricName(), sample.time(), f.applyAsDouble(at)));
    }
    return out;
  }

  /** The labels {@code absent()} gives: those its selector matches with {@code =}, each once. */
  static Labels absentLabels(Ast.Expr arg) {
    Ast.Expr expr = Calls.unwrap(arg);
    List<Matcher> matchers;
    if (expr instanceof Ast.VectorSelector selector) {
      matchers = selector.matchers;
    } else if (expr instanceof Ast.MatrixSelector matrix) {
      matchers = matrix.selector.matchers;
    } else {
      return Labels.EMPTY;
    }
    Map<String, String> labels = new HashMap<>();
    Map<String, Boolean> has = new HashMap<>();
    for (Matcher matcher : matchers) {
      if (matcher.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (matcher.type() == Matcher.Type.EQUAL && !has.getOrDefault(matcher.name(), false)) {
        labels.put(matcher.name(), matcher.value());
        has.put(matcher.name(), true);
      } else {
        labels.remove(matcher.name());
      }
    }
    return Labels.of(labels);
  }

  private List<Sample> labelReplace(List<Sample> vector) {
    String dst = Calls.stringArg(call.args.get(1));
    String replacement = Calls.stringArg(call.args.get(2));
    String src = Calls.stringArg(call.args.get(3));
    String regex = Calls.stringArg(call.args.get(4));
    if (replaceRegex == null) {
      try {
        replaceRegex = Matcher.compile(regex);
      } catch (PromqlException e) {
        throw new PromqlException(PromqlException.Kind.EXECUTION, "invalid regular expression in label_replace(): " + regex);
      }
      if (!dst.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        throw new PromqlException(PromqlException.Kind.EXECUTION, "invalid destination label name in label_replace(): " + dst);
      }
    }
    List<Sample> out = new ArrayList<>(vector.size());
    for (Sample sample : vector) {
      Labels metric = relabelled.computeIfAbsent(sample.metric(), labels -> {
        com.google.re2j.Matcher match = replaceRegex.matcher(labels.get(src));
        if (!match.matches()) {
          return labels;
        }
        return labels.with(dst, "").with(dst, RegexExpansion.expand(replacement, match));
      });
      out.add(sample.withMetric(metric));
    }
    return out;
  }

  private List<Sample> labelJoin(List<Sample> vector) {
    String dst = Calls.stringArg(call.args.get(1));
    String separator = Calls.stringArg(call.args.get(2));
    List<String> sources = new ArrayList<>();
    for (int i = 3; i < call.args.size(); i++) {
      String source = Calls.stringArg(call.args.get(i));
      if (!source.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        throw new PromqlException(PromqlException.Kind.EXECUTION, "invalid source label name in label_join(): " + source);
      }
      sources.add(source);
    }
    if (!dst.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
      throw new PromqlException(PromqlException.Kind.EXECUTION, "invalid destination label name in label_join(): " + dst);
    }
    List<Sample> out = new ArrayList<>(vector.size());
    for (Sample sample : vector) {
      Labels metric = relabelled.computeIfAbsent(sample.metric(), labels -> {
        List<String> values = new ArrayList<>();
        sources.forEach(source -> values.add(labels.get(source)));
        return labels.with(dst, String.join(separator, values));
      });
      out.add(sample.withMetric(metric));
    }
    return out;
  }
}
