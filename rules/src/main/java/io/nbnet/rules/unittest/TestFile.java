package io.nbnet.rules.unittest;

import io.nbnet.rules.yaml.YamlNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** A rule unit-test file in promtool's format, read strictly (an unknown field is an error, as {@code yaml.UnmarshalStrict}). */
record TestFile(List<String> ruleFiles, long evaluationIntervalMillis, List<String> groupEvalOrder, List<TestGroup> tests) {

  record TestGroup(long intervalMillis, List<InputSeries> inputSeries, List<AlertTest> alertTests, List<ExprTest> exprTests,
                   Map<String, String> externalLabels, String externalUrl, String name) {
  }

  record InputSeries(String series, String values) {
  }

  record AlertTest(long evalTimeMillis, String alertname, List<ExpectedAlert> expected) {
  }

  /** Labels and annotations as maps: an empty value counts, as it does in Prometheus's comparison. */
  record ExpectedAlert(Map<String, String> labels, Map<String, String> annotations) {
  }

  record ExprTest(String expr, long evalTimeMillis, List<ExpectedSample> expected) {
  }

  record ExpectedSample(String labels, double value) {
  }

  static TestFile parse(String text) {
    Map<String, YamlNode> fields = YamlNode.parse(text).fields("main.unitTestFile",
      Set.of("rule_files", "evaluation_interval", "group_eval_order", "tests"));
    List<String> ruleFiles = texts(fields.get("rule_files"));
    long interval = YamlNode.duration(fields.get("evaluation_interval"));
    List<String> order = texts(fields.get("group_eval_order"));
    List<TestGroup> tests = new ArrayList<>();
    for (YamlNode test : list(fields.get("tests"))) {
      tests.add(group(test));
    }
    return new TestFile(ruleFiles, interval, order, tests);
  }

  private static TestGroup group(YamlNode node) {
    Map<String, YamlNode> fields = node.fields("main.testGroup", Set.of("interval", "input_series", "alert_rule_test",
      "promql_expr_test", "external_labels", "external_url", "name"));
    List<InputSeries> series = new ArrayList<>();
    for (YamlNode item : list(fields.get("input_series"))) {
      Map<String, YamlNode> s = item.fields("main.series", Set.of("series", "values"));
      series.add(new InputSeries(text(s.get("series")), text(s.get("values"))));
    }
    List<AlertTest> alerts = new ArrayList<>();
    for (YamlNode item : list(fields.get("alert_rule_test"))) {
      Map<String, YamlNode> a = item.fields("main.alertTestCase", Set.of("eval_time", "alertname", "exp_alerts"));
      List<ExpectedAlert> expected = new ArrayList<>();
      for (YamlNode e : list(a.get("exp_alerts"))) {
        Map<String, YamlNode> ef = e.fields("main.alert", Set.of("exp_labels", "exp_annotations"));
        expected.add(new ExpectedAlert(map(ef.get("exp_labels")), map(ef.get("exp_annotations"))));
      }
      alerts.add(new AlertTest(YamlNode.duration(a.get("eval_time")), text(a.get("alertname")), expected));
    }
    List<ExprTest> exprs = new ArrayList<>();
    for (YamlNode item : list(fields.get("promql_expr_test"))) {
      Map<String, YamlNode> p = item.fields("main.promqlTestCase", Set.of("expr", "eval_time", "exp_samples"));
      List<ExpectedSample> expected = new ArrayList<>();
      for (YamlNode e : list(p.get("exp_samples"))) {
        Map<String, YamlNode> sf = e.fields("main.sample", Set.of("labels", "value"));
        expected.add(new ExpectedSample(text(sf.get("labels")), number(sf.get("value"))));
      }
      exprs.add(new ExprTest(text(p.get("expr")), YamlNode.duration(p.get("eval_time")), expected));
    }
    return new TestGroup(YamlNode.duration(fields.get("interval")), series, alerts, exprs, map(fields.get("external_labels")),
      text(fields.get("external_url")), text(fields.get("name")));
  }

  private static List<YamlNode> list(YamlNode node) {
    return node == null ? List.of() : node.list("a list");
  }

  private static List<String> texts(YamlNode node) {
    return list(node).stream().map(YamlNode::text).toList();
  }

  private static String text(YamlNode node) {
    return node == null ? "" : node.text();
  }

  private static Map<String, String> map(YamlNode node) {
    return node == null ? new TreeMap<>() : new TreeMap<>(node.textMap("map[string]string"));
  }

  /** A YAML float as Go's yaml decodes one: {@code .inf}, {@code -.inf}, {@code .nan} and decimals. */
  private static double number(YamlNode node) {
    String text = text(node);
    switch (text) {
      case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-.inf", "-.Inf", "-.INF" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case ".nan", ".NaN", ".NAN" -> {
        return Double.NaN;
      }
      default -> {
        if (text.isEmpty()) {
          return 0;
        }
        if (!text.matches("[-+]?([0-9][0-9_]*)?\\.?[0-9_]*([eE][-+]?[0-9]+)?") || text.matches("[-+]?\\.?")) {
          throw new YamlNode.YamlError(node.where() + "yaml: cannot unmarshal !!str `" + text + "` into float64");
        }
        return Double.parseDouble(text.replace("_", ""));
      }
    }
  }
}
