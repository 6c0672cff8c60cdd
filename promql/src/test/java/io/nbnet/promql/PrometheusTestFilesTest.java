package io.nbnet.promql;

import io.nbnet.promql.testing.MemorySource;
import io.nbnet.promql.testing.TestScript;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every case of Prometheus 2.42's own PromQL test files ({@code src/test/resources/prometheus-2.42}), run
 * through nbnet's engine as Prometheus's {@code promql/test.go} runs them: the instant query, then the
 * same as a range query from a minute before to a minute after, read at the instant.
 */
class PrometheusTestFilesTest {

  static final List<String> FILES = List.of("aggregators", "at_modifier", "collision", "functions", "histograms", "literals", "operators",
    "selectors", "staleness", "subquery", "trig_functions");
  /** As Prometheus's test engine: 5-minute lookback, 10,000 samples, subqueries without a step at 1 minute. */
  static final Engine ENGINE = new Engine(Engine.DEFAULT_LOOKBACK_MILLIS, 10_000, 60_000);
  private static final double MIN_NORMAL = Double.MIN_NORMAL;
  private static final double EPSILON = 0.000001;

  @TestFactory
  List<DynamicNode> prometheusTestFiles() throws IOException {
    List<DynamicNode> files = new ArrayList<>();
    for (String file : FILES) {
      List<TestScript.Command> commands = TestScript.parse(read(file + ".test"));
      MemorySource source = new MemorySource();
      List<DynamicNode> cases = new ArrayList<>();
      for (TestScript.Command command : commands) {
        if (command instanceof TestScript.Load load) {
          cases.add(DynamicTest.dynamicTest("line " + load.line() + ": load", () -> load(source, load)));
        } else if (command instanceof TestScript.Clear clear) {
          cases.add(DynamicTest.dynamicTest("line " + clear.line() + ": clear", source::clear));
        } else {
          TestScript.Eval eval = (TestScript.Eval) command;
          cases.add(DynamicTest.dynamicTest("line " + eval.line() + ": " + eval.query(), () -> run(source, eval)));
        }
      }
      files.add(DynamicContainer.dynamicContainer(file, cases));
    }
    return files;
  }

  static String read(String name) throws IOException {
    try (InputStream in = PrometheusTestFilesTest.class.getResourceAsStream("/prometheus-2.42/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static void load(MemorySource source, TestScript.Load load) {
    for (TestScript.SeriesValues series : load.series()) {
      List<Long> times = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      for (int i = 0; i < series.values().size(); i++) {
        if (series.values().get(i) != null) {
          times.add(i * load.stepMillis());
          values.add(series.values().get(i));
        }
      }
      source.add(series.labels(), times.stream().mapToLong(Long::longValue).toArray(), values.stream().mapToDouble(Double::doubleValue).toArray());
    }
  }

  /**
   * The case as written, then, as Prometheus's test runner does, with {@code @ <eval time>} on every
   * selector and subquery (unless it has one or a function depends on the step's time), evaluated at
   * other times: the answers must not change.
   */
  static void run(MemorySource source, TestScript.Eval eval) {
    runAt(source, eval, eval.query(), eval.timeMillis());
    AtModifierCases.of(eval.query(), eval.timeMillis()).forEach((query, times) -> {
      for (long time : times) {
        runAt(source, eval, query, time);
      }
    });
  }

  private static void runAt(MemorySource source, TestScript.Eval eval, String query, long time) {
    QueryResult result;
    try {
      result = ENGINE.instant(source, query, time, 100_000);
    } catch (PromqlException e) {
      if (eval.fail()) {
        return;
      }
      throw new AssertionError("error evaluating " + query + " at " + time + ": " + e.getMessage(), e);
    }
    if (eval.fail()) {
      fail("expected an error evaluating " + query + " but got " + result);
    }
    compare(eval, result, false);
    QueryResult.Matrix range = ENGINE.range(source, query, time - 60_000, time + 60_000, 60_000, 100_000);
    if (eval.ordered()) {
      return;
    }
    List<QueryResult.Sample> atInstant = new ArrayList<>();
    for (QueryResult.Series series : range.series()) {
      for (int i = 0; i < series.times().length; i++) {
        if (series.times()[i] == time) {
          atInstant.add(new QueryResult.Sample(series.metric(), series.times()[i], series.values()[i]));
          break;
        }
      }
    }
    if (result instanceof QueryResult.Scalar) {
      compare(eval, new QueryResult.Scalar(time, atInstant.get(0).value()), true);
    } else {
      compare(eval, new QueryResult.Vector(atInstant), true);
    }
  }

  private static void compare(TestScript.Eval eval, QueryResult result, boolean rangeMode) {
    String mode = rangeMode ? " (range mode)" : "";
    if (result instanceof QueryResult.Scalar scalar) {
      assertTrue(almostEqual(eval.scalar(), scalar.value()), "expected scalar " + eval.scalar() + " but got " + scalar.value() + mode);
      return;
    }
    if (!(result instanceof QueryResult.Vector vector)) {
      fail("received " + result.type() + " result on instant evaluation" + mode);
      return;
    }
    Map<Labels, Integer> positions = new HashMap<>();
    for (int i = 0; i < eval.expected().size(); i++) {
      positions.put(eval.expected().get(i).labels(), i);
    }
    Set<Labels> seen = new HashSet<>();
    for (int pos = 0; pos < vector.samples().size(); pos++) {
      QueryResult.Sample sample = vector.samples().get(pos);
      Integer expected = positions.get(sample.metric());
      if (expected == null) {
        fail("unexpected metric " + sample.metric() + " in result" + mode + "; got " + vector.samples());
      }
      if (eval.ordered() && !rangeMode) {
        assertEquals(expected.intValue(), pos, "position of " + sample.metric() + mode);
      }
      double want = eval.expected().get(expected).value();
      assertTrue(almostEqual(want, sample.value()), "expected " + want + " for " + sample.metric() + " but got " + sample.value() + mode);
      seen.add(sample.metric());
    }
    for (TestScript.Expected expected : eval.expected()) {
      assertTrue(seen.contains(expected.labels()), "expected metric " + expected.labels() + " not found" + mode + "; got " + vector.samples());
    }
  }

  /** Prometheus's test comparison: NaN equals NaN, otherwise within a relative 1e-6. */
  static boolean almostEqual(double a, double b) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || diff < MIN_NORMAL) {
      return diff < EPSILON * MIN_NORMAL;
    }
    return diff / (Math.abs(a) + Math.abs(b)) < EPSILON;
  }
}
