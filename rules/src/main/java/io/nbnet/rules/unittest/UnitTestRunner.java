package io.nbnet.rules.unittest;

import io.nbnet.promql.Engine;
import io.nbnet.promql.Labels;
import io.nbnet.promql.PromqlException;
import io.nbnet.promql.QueryResult;
import io.nbnet.rules.Alert;
import io.nbnet.rules.AlertingRule;
import io.nbnet.rules.Rule;
import io.nbnet.rules.RuleFiles;
import io.nbnet.rules.RuleGroup;
import io.nbnet.rules.RuleGroupDefinition;
import io.nbnet.rules.RuleQuery;
import io.nbnet.rules.template.GoFormat;
import io.nbnet.rules.yaml.YamlNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs one rule unit-test file as Prometheus 2.42's {@code promtool test rules} does
 * ({@code cmd/promtool/unittest.go}): per test group, the input series loaded up to each evaluation
 * time, every group evaluated from 0 every {@code evaluation_interval} up to the last {@code eval_time},
 * firing alerts compared after the evaluation at or just before each alert test's time, expressions
 * compared at their time after all evaluations.
 */
public final class UnitTestRunner {

  /** As promtool's test engine: 5-minute lookback, 10,000 samples, 100 s per query. */
  private static final long LOOKBACK_MILLIS = 300_000;
  private static final long MAX_SAMPLES = 10_000;
  private static final long QUERY_TIMEOUT_MILLIS = 100_000;
  private static final long DEFAULT_EVALUATION_INTERVAL = 60_000;
  private static final long MAX_EVALUATIONS = 1_000_000;

  private UnitTestRunner() {
  }

  /** The file's failures, each a message as promtool prints it; empty when every test passed. */
  public static List<String> run(Path file, List<String> warnings) {
    TestFile tests;
    try {
      tests = TestFile.parse(Files.readString(file));
    } catch (IOException e) {
      return List.of(e.toString());
    } catch (YamlNode.YamlError e) {
      return List.of(e.getMessage());
    }
    List<Path> ruleFiles = resolve(file.getParent() == null ? Path.of("") : file.getParent(), tests.ruleFiles(), warnings);
    long interval = tests.evaluationIntervalMillis() == 0 ? DEFAULT_EVALUATION_INTERVAL : tests.evaluationIntervalMillis();
    Map<String, Integer> order = new HashMap<>();
    for (int i = 0; i < tests.groupEvalOrder().size(); i++) {
      if (order.putIfAbsent(tests.groupEvalOrder().get(i), i) != null) {
        return List.of("group name repeated in evaluation order: " + tests.groupEvalOrder().get(i));
      }
    }
    List<String> errors = new ArrayList<>();
    for (TestFile.TestGroup group : tests.tests()) {
      errors.addAll(test(group, interval, order, ruleFiles));
    }
    return errors;
  }

  private static List<String> test(TestFile.TestGroup test, long evalInterval, Map<String, Integer> order, List<Path> ruleFiles) {
    LazyLoader input;
    try {
      input = new LazyLoader(test);
    } catch (IllegalArgumentException | PromqlException e) {
      return List.of(e.getMessage());
    }
    RuleFiles.Loaded loaded = RuleFiles.load(ruleFiles);
    if (!loaded.ok()) {
      return loaded.errors();
    }
    List<RuleGroupDefinition> definitions = new ArrayList<>(loaded.groups());
    definitions.sort(Comparator.comparingInt(g -> order.getOrDefault(g.name(), 0)));
    List<RuleGroup> groups = new ArrayList<>();
    for (RuleGroupDefinition definition : definitions) {
      groups.add(new RuleGroup(definition, test.externalLabels(), test.externalUrl()));
    }
    Engine engine = new Engine(LOOKBACK_MILLIS, MAX_SAMPLES, evalInterval);
    RuleQuery query = RuleQuery.of(engine, input.storage(), QUERY_TIMEOUT_MILLIS);

    long maxTime = 0;
    Map<Long, List<TestFile.AlertTest>> alertTests = new TreeMap<>();
    for (TestFile.AlertTest alert : test.alertTests()) {
      if (alert.alertname().isEmpty()) {
        return List.of("an item under alert_rule_test misses required attribute alertname at eval_time "
          + Engine.formatDuration(alert.evalTimeMillis()) + (test.name().isEmpty() ? "" : " (in TestGroup " + test.name() + ")"));
      }
      alertTests.computeIfAbsent(alert.evalTimeMillis(), t -> new ArrayList<>()).add(alert);
      maxTime = Math.max(maxTime, alert.evalTimeMillis());
    }
    for (TestFile.ExprTest expr : test.exprTests()) {
      maxTime = Math.max(maxTime, expr.evalTimeMillis());
    }
    if (maxTime / evalInterval > MAX_EVALUATIONS) {
      return List.of("more than " + MAX_EVALUATIONS + " evaluations to reach eval_time " + Engine.formatDuration(maxTime));
    }
    List<Long> alertTimes = new ArrayList<>(alertTests.keySet());
    int current = 0;
    List<String> errors = new ArrayList<>();
    for (long ts = 0; ts <= maxTime; ts += evalInterval) {
      input.appendTill(ts);
      List<String> evalErrors = new ArrayList<>();
      for (RuleGroup group : groups) {
        group.evaluate(ts, query, input.storage());
        for (Rule rule : group.rules()) {
          if (rule.lastError() != null) {
            evalErrors.add("    rule: " + rule.definition().name() + ", time: " + goDuration(ts) + ", err: " + rule.lastError());
          }
        }
      }
      errors.addAll(evalErrors);
      if (!evalErrors.isEmpty()) {
        return errors;
      }
      while (current < alertTimes.size() && ts <= alertTimes.get(current) && alertTimes.get(current) < ts + evalInterval) {
        long t = alertTimes.get(current);
        for (TestFile.AlertTest alertTest : alertTests.get(t)) {
          compareAlerts(test, groups, alertTest, errors);
        }
        current++;
      }
    }
    for (TestFile.ExprTest exprTest : test.exprTests()) {
      compareExpression(query, exprTest, errors);
    }
    return errors;
  }

  private static void compareAlerts(TestFile.TestGroup test, List<RuleGroup> groups, TestFile.AlertTest alertTest, List<String> errors) {
    List<TestFile.ExpectedAlert> got = new ArrayList<>();
    for (RuleGroup group : groups) {
      for (Rule rule : group.rules()) {
        if (rule instanceof AlertingRule alerting && alerting.definition().name().equals(alertTest.alertname())) {
          for (Alert alert : alerting.alerts()) {
            if (alert.state() == Alert.State.FIRING) {
              got.add(new TestFile.ExpectedAlert(alert.labels().toMap(), new TreeMap<>(alert.annotations())));
            }
          }
        }
      }
    }
    List<TestFile.ExpectedAlert> expected = new ArrayList<>();
    for (TestFile.ExpectedAlert alert : alertTest.expected()) {
      Map<String, String> labels = new TreeMap<>(alert.labels());
      labels.put(AlertingRule.ALERT_NAME, alertTest.alertname());
      expected.add(new TestFile.ExpectedAlert(labels, alert.annotations()));
    }
    Comparator<TestFile.ExpectedAlert> byLabels = Comparator.comparing((TestFile.ExpectedAlert a) -> labels(a.labels()))
      .thenComparing(a -> labels(a.annotations()));
    got.sort(byLabels);
    expected.sort(byLabels);
    if (!expected.equals(got)) {
      errors.add((test.name().isEmpty() ? "" : "    name: " + test.name() + ",\n") + "    alertname: " + alertTest.alertname() + ", time: "
        + Engine.formatDuration(alertTest.evalTimeMillis()) + ", \n        exp:" + alertsText(expected) + ", \n        got:"
        + alertsText(got));
    }
  }

  private static void compareExpression(RuleQuery query, TestFile.ExprTest exprTest, List<String> errors) {
    String prefix = "    expr: " + quote(exprTest.expr()) + ", time: " + Engine.formatDuration(exprTest.evalTimeMillis());
    List<QueryResult.Sample> result;
    try {
      result = query.at(exprTest.expr(), exprTest.evalTimeMillis());
    } catch (PromqlException e) {
      errors.add(prefix + ", err: " + e.getMessage());
      return;
    }
    List<Map.Entry<Labels, Double>> got = new ArrayList<>();
    result.forEach(sample -> got.add(Map.entry(sample.metric(), sample.value())));
    List<Map.Entry<Labels, Double>> expected = new ArrayList<>();
    for (TestFile.ExpectedSample sample : exprTest.expected()) {
      try {
        expected.add(Map.entry(Engine.parseMetric(sample.labels()), sample.value()));
      } catch (PromqlException e) {
        errors.add(prefix + ", err: labels " + quote(sample.labels()) + ": " + e.getMessage());
        return;
      }
    }
    Comparator<Map.Entry<Labels, Double>> byLabels = Map.Entry.comparingByKey();
    got.sort(byLabels);
    expected.sort(byLabels);
    if (!sameSamples(expected, got)) {
      errors.add(prefix + ",\n        exp: " + samplesText(expected) + "\n        got: " + samplesText(got));
    }
  }

  /** As Go's {@code reflect.DeepEqual} on float64: NaN equals nothing, 0 equals -0. */
  private static boolean sameSamples(List<Map.Entry<Labels, Double>> a, List<Map.Entry<Labels, Double>> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).getKey().equals(b.get(i).getKey()) || !(a.get(i).getValue().doubleValue() == b.get(i).getValue().doubleValue())) {
        return false;
      }
    }
    return true;
  }

  private static String labels(Map<String, String> map) {
    StringBuilder text = new StringBuilder("{");
    map.forEach((name, value) -> text.append(text.length() > 1 ? ", " : "").append(name).append('=').append(quote(value)));
    return text.append('}').toString();
  }

  private static String alertsText(List<TestFile.ExpectedAlert> alerts) {
    if (alerts.isEmpty()) {
      return "[]";
    }
    StringBuilder text = new StringBuilder("[\n");
    for (int i = 0; i < alerts.size(); i++) {
      text.append(i > 0 ? ",\n" : "").append("            ").append(i).append(":\n              Labels:")
        .append(labels(alerts.get(i).labels())).append("\n              Annotations:").append(labels(alerts.get(i).annotations()));
    }
    return text.append("\n            ]").toString();
  }

  private static String samplesText(List<Map.Entry<Labels, Double>> samples) {
    if (samples.isEmpty()) {
      return "nil";
    }
    List<String> parts = new ArrayList<>();
    samples.forEach(s -> parts.add(s.getKey() + " " + GoFormat.formatFloat(s.getValue(), 'E', -1)));
    return String.join(", ", parts);
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  /** Go's {@code time.Duration.String()} for whole milliseconds: {@code 0s}, {@code 1m0s}, {@code 1h30m0s}, {@code 1.5s}. */
  static String goDuration(long millis) {
    if (millis == 0) {
      return "0s";
    }
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    long seconds = millis / 1000 % 60;
    long rest = millis % 1000;
    StringBuilder text = new StringBuilder();
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      text.append(minutes).append('m');
    }
    text.append(seconds);
    if (rest > 0) {
      text.append('.').append(String.format("%03d", rest).replaceAll("0+$", ""));
    }
    return text.append('s').toString();
  }

  /** Rule files as promtool resolves them: relative to the test file, globs expanded, a pattern matching nothing warned about. */
  private static List<Path> resolve(Path base, List<String> patterns, List<String> warnings) {
    List<Path> files = new ArrayList<>();
    for (String pattern : patterns) {
      Path path = Path.of(pattern);
      Path full = pattern.isEmpty() || path.isAbsolute() ? path : base.resolve(pattern);
      List<Path> matched = RuleFiles.expand(List.of(full.toString()));
      if (matched.isEmpty()) {
        warnings.add("  WARNING: no file match pattern " + full);
      }
      files.addAll(matched);
    }
    return files;
  }
}
