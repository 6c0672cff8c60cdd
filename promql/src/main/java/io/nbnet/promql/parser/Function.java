package io.nbnet.promql.parser;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.nbnet.promql.parser.ValueType.MATRIX;
import static io.nbnet.promql.parser.ValueType.SCALAR;
import static io.nbnet.promql.parser.ValueType.STRING;
import static io.nbnet.promql.parser.ValueType.VECTOR;

/**
 * A PromQL function's signature, as Prometheus 2.42 declares it.
 *
 * @param variadic 0: exactly the arguments listed; n &gt; 0: the last may be left out or repeated up to n
 *                 times in all; -1: the last repeated any number of times
 */
public record Function(String name, List<ValueType> argTypes, int variadic, ValueType returnType) {

  private static final Map<String, Function> FUNCTIONS = new TreeMap<>();

  static {
    for (String name : List.of("abs", "absent", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil", "cos", "cosh", "deg", "exp",
      "floor", "histogram_count", "histogram_sum", "ln", "log10", "log2", "rad", "sgn", "sin", "sinh", "sort", "sort_desc", "sqrt", "tan",
      "tanh", "timestamp")) {
      add(name, List.of(VECTOR), 0, VECTOR);
    }
    for (String name : List.of("absent_over_time", "avg_over_time", "changes", "count_over_time", "delta", "deriv", "idelta", "increase",
      "irate", "last_over_time", "max_over_time", "min_over_time", "present_over_time", "rate", "resets", "stddev_over_time",
      "stdvar_over_time", "sum_over_time")) {
      add(name, List.of(MATRIX), 0, VECTOR);
    }
    for (String name : List.of("days_in_month", "day_of_month", "day_of_week", "day_of_year", "hour", "minute", "month", "year")) {
      add(name, List.of(VECTOR), 1, VECTOR);
    }
    add("clamp", List.of(VECTOR, SCALAR, SCALAR), 0, VECTOR);
    add("clamp_max", List.of(VECTOR, SCALAR), 0, VECTOR);
    add("clamp_min", List.of(VECTOR, SCALAR), 0, VECTOR);
    add("histogram_fraction", List.of(SCALAR, SCALAR, VECTOR), 0, VECTOR);
    add("histogram_quantile", List.of(SCALAR, VECTOR), 0, VECTOR);
    add("holt_winters", List.of(MATRIX, SCALAR, SCALAR), 0, VECTOR);
    add("label_replace", List.of(VECTOR, STRING, STRING, STRING, STRING), 0, VECTOR);
    add("label_join", List.of(VECTOR, STRING, STRING, STRING), -1, VECTOR);
    add("pi", List.of(), 0, SCALAR);
    add("predict_linear", List.of(MATRIX, SCALAR), 0, VECTOR);
    add("quantile_over_time", List.of(SCALAR, MATRIX), 0, VECTOR);
    add("round", List.of(VECTOR, SCALAR), 1, VECTOR);
    add("scalar", List.of(VECTOR), 0, SCALAR);
    add("time", List.of(), 0, SCALAR);
    add("vector", List.of(SCALAR), 0, VECTOR);
  }

  private static void add(String name, List<ValueType> args, int variadic, ValueType returns) {
    FUNCTIONS.put(name, new Function(name, args, variadic, returns));
  }

  public static Optional<Function> named(String name) {
    return Optional.ofNullable(FUNCTIONS.get(name));
  }

  /** Every function the engine knows, by name. */
  public static Iterable<String> names() {
    return FUNCTIONS.keySet();
  }
}
