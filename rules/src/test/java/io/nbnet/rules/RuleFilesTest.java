package io.nbnet.rules;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleFilesTest {

  @Test
  @DisplayName("a good file gives its groups: interval, limit, rules in order, labels and annotations")
  void readsGroups() {
    RuleFiles.Loaded loaded = RuleFiles.parse("r.yml", """
      groups:
        - name: g
          interval: 1m30s
          limit: 5
          rules:
            - record: job:up:sum
              expr: sum by (job) (up)
            - alert: Down
              expr: job:up:sum == 0
              for: 5m
              keep_firing_for: 2m
              labels: {severity: page}
              annotations: {summary: '{{ $labels.job }} is down'}
      """);
    assertTrue(loaded.ok(), loaded.errors().toString());
    RuleGroupDefinition group = loaded.groups().get(0);
    assertEquals(90_000, group.intervalMillis());
    assertEquals(5, group.limit());
    assertEquals(List.of("job:up:sum", "Down"), group.rules().stream().map(RuleDefinition::name).toList());
    RuleDefinition alert = group.rules().get(1);
    assertTrue(alert.alerting());
    assertEquals(300_000, alert.forMillis());
    assertEquals(120_000, alert.keepFiringForMillis());
    assertEquals("page", alert.labels().get("severity"));
    assertEquals(8, alert.line());
  }

  @Test
  @DisplayName("a template outside the subset nbnet renders is refused with the place of its function, though promtool would take it")
  void refusesTemplatesOutsideTheSubset() {
    RuleFiles.Loaded loaded = RuleFiles.parse("r.yml", """
      groups:
        - name: g
          rules:
            - alert: A
              expr: up == 0
              annotations:
                summary: 'now {{ with query "up" }}{{ . | first | value }}{{ end }}'
      """);
    assertEquals(1, loaded.errors().size(), loaded.errors().toString());
    String error = loaded.errors().get(0);
    assertTrue(error.startsWith("r.yml: 7:"), error);
    assertTrue(error.contains("annotation \"summary\": template 1:13: function \"query\" not defined"), error);
    assertTrue(loaded.groups().isEmpty(), "no groups from a file with errors");
  }

  @Test
  @DisplayName("every error is reported, each with its line and column, not only the first")
  void reportsEveryError() {
    RuleFiles.Loaded loaded = RuleFiles.parse("r.yml", """
      groups:
        - name: g
          rules:
            - record: a
              expr: rate(x[5m]
            - alert: B
              expr: up
              labels:
                severity: '{{ if }}'
      """);
    assertEquals(2, loaded.errors().size(), loaded.errors().toString());
    assertTrue(loaded.errors().get(0).startsWith("r.yml: 5:15: group \"g\", rule 1, \"a\": could not parse expression: "),
      loaded.errors().get(0));
    assertTrue(loaded.errors().get(1).contains("rule 2, \"B\": label \"severity\": template 1:4: missing value for if"),
      loaded.errors().get(1));
  }

  @Test
  @DisplayName("a YAML that does not parse is refused with the place, and a hostile alias bomb is refused, not expanded")
  void refusesBadYaml() {
    RuleFiles.Loaded broken = RuleFiles.parse("r.yml", "groups:\n  - name: [\n");
    assertTrue(broken.errors().get(0).startsWith("r.yml: 3:1: yaml: "), broken.errors().toString());
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'k'; c++) {
      char p = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *").append(p).append(", *")
        .append(p).append(", *").append(p).append(", *").append(p).append(", *").append(p).append(", *").append(p).append("]\n");
    }
    bomb.append("groups: *k\n");
    RuleFiles.Loaded refused = RuleFiles.parse("bomb.yml", bomb.toString());
    assertTrue(!refused.ok(), "an alias bomb is refused");
  }
}
