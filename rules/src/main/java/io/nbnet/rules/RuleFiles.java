package io.nbnet.rules;

import io.nbnet.promql.Engine;
import io.nbnet.promql.PromqlException;
import io.nbnet.rules.template.Template;
import io.nbnet.rules.template.TemplateException;
import io.nbnet.rules.yaml.YamlNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads Prometheus rule files and checks them as {@code promtool check rules} does (Prometheus's
 * {@code rulefmt}): unknown fields, empty or repeated group names, a rule that is neither or both of
 * {@code alert} and {@code record}, an expression that does not parse, fields a recording rule cannot
 * have, invalid label names; and, stricter than promtool, templates outside the subset nbnet renders.
 * Every error starts with the file and the line and column it concerns.
 */
public final class RuleFiles {

  /** A rule file larger than this is refused rather than read: rules are text an operator writes. */
  public static final long MAX_FILE_BYTES = 8 * 1024 * 1024;

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> FILE_FIELDS = Set.of("groups");
  private static final Set<String> GROUP_FIELDS = Set.of("name", "interval", "limit", "rules");
  private static final Set<String> RULE_FIELDS = Set.of("record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations");

  private RuleFiles() {
  }

  /** The groups of every file and every error found in them; the groups count only when there is no error. */
  public record Loaded(List<RuleGroupDefinition> groups, List<String> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }

    public int ruleCount() {
      return groups.stream().mapToInt(group -> group.rules().size()).sum();
    }
  }

  /**
   * The files {@code patterns} name, as Prometheus expands {@code rule_files}: a glob in the last part
   * of a path ({@code conf/rules/*.yml}), files in name order; a pattern that matches nothing gives none.
   */
  public static List<Path> expand(List<String> patterns) {
    List<Path> files = new ArrayList<>();
    for (String pattern : patterns) {
      files.addAll(glob(Path.of(pattern)));
    }
    return files;
  }

  static List<Path> glob(Path pattern) {
    String text = pattern.toString();
    if (!text.contains("*") && !text.contains("?") && !text.contains("[")) {
      return Files.exists(pattern) ? List.of(pattern) : List.of();
    }
    Path folder = pattern.getParent() == null ? Path.of("") : pattern.getParent();
    PathMatcher matcher;
    try {
      matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.getFileName());
    } catch (IllegalArgumentException e) {
      return List.of();
    }
    TreeSet<Path> matched = new TreeSet<>();
    try (Stream<Path> listed = Files.list(folder.toString().isEmpty() ? Path.of(".") : folder)) {
      listed.filter(p -> matcher.matches(p.getFileName())).forEach(p -> matched.add(folder.resolve(p.getFileName())));
    } catch (IOException e) {
      return List.of();
    }
    return new ArrayList<>(matched);
  }

  public static Loaded load(List<Path> files) {
    List<RuleGroupDefinition> groups = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Path file : files) {
      Loaded one = load(file);
      groups.addAll(one.groups());
      errors.addAll(one.errors());
    }
    return new Loaded(groups, errors);
  }

  public static Loaded load(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        return new Loaded(List.of(), List.of(file + ": larger than " + MAX_FILE_BYTES + " bytes"));
      }
      return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Loaded(List.of(), List.of(file + ": " + e.getMessage()));
    }
  }

  public static Loaded parse(String file, String text) {
    List<RuleGroupDefinition> groups = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    try {
      YamlNode root = YamlNode.parse(text);
      Map<String, YamlNode> fields = root.fields("rulefmt.RuleGroups", FILE_FIELDS);
      Set<String> names = new HashSet<>();
      for (YamlNode groupNode : fields.getOrDefault("groups", YamlNode.parse("")).list("[]rulefmt.RuleGroup")) {
        RuleGroupDefinition group = group(file, groupNode, errors);
        if (group.name().isEmpty()) {
          errors.add(file + ": " + groupNode.where() + "Groupname must not be empty");
        }
        if (!names.add(group.name())) {
          errors.add(file + ": " + groupNode.where() + "groupname: \"" + group.name() + "\" is repeated in the same file");
        }
        groups.add(group);
      }
    } catch (YamlNode.YamlError e) {
      errors.add(file + ": " + e.getMessage());
    }
    return new Loaded(errors.isEmpty() ? groups : List.of(), errors);
  }

  private static RuleGroupDefinition group(String file, YamlNode node, List<String> errors) {
    Map<String, YamlNode> fields = node.fields("rulefmt.RuleGroup", GROUP_FIELDS);
    String name = text(fields, "name");
    long interval = YamlNode.duration(fields.get("interval"));
    int limit = 0;
    if (fields.containsKey("limit")) {
      try {
        limit = Integer.parseInt(fields.get("limit").text());
      } catch (NumberFormatException e) {
        throw new YamlNode.YamlError(fields.get("limit").where() + "yaml: cannot unmarshal !!str `" + fields.get("limit").text()
          + "` into int");
      }
    }
    List<RuleDefinition> rules = new ArrayList<>();
    List<YamlNode> ruleNodes = fields.containsKey("rules") ? fields.get("rules").list("[]rulefmt.RuleNode") : List.of();
    for (int i = 0; i < ruleNodes.size(); i++) {
      rules.add(rule(file, name, i + 1, ruleNodes.get(i), errors));
    }
    return new RuleGroupDefinition(file, name, interval, limit, rules);
  }

  private static RuleDefinition rule(String file, String group, int index, YamlNode node, List<String> errors) {
    Map<String, YamlNode> fields = node.fields("rulefmt.RuleNode", RULE_FIELDS);
    String record = text(fields, "record");
    String alert = text(fields, "alert");
    String expr = text(fields, "expr");
    long forMillis = YamlNode.duration(fields.get("for"));
    long keepFiringFor = YamlNode.duration(fields.get("keep_firing_for"));
    Map<String, String> labels = fields.containsKey("labels") ? new TreeMap<>(fields.get("labels").textMap("map[string]string"))
      : new TreeMap<>();
    Map<String, String> annotations = fields.containsKey("annotations")
      ? new TreeMap<>(fields.get("annotations").textMap("map[string]string")) : new TreeMap<>();
    String prefix = file + ": ";
    String about = "group \"" + group + "\", rule " + index + ", \"" + (alert.isEmpty() ? record : alert) + "\": ";
    YamlNode recordNode = fields.getOrDefault("record", node);
    YamlNode exprNode = fields.getOrDefault("expr", node);
    if (!record.isEmpty() && !alert.isEmpty()) {
      errors.add(prefix + recordNode.where() + fields.get("alert").where() + about + "only one of 'record' and 'alert' must be set");
    }
    if (record.isEmpty() && alert.isEmpty()) {
      errors.add(prefix + recordNode.where() + about + "one of 'record' or 'alert' must be set");
    }
    if (expr.isEmpty()) {
      errors.add(prefix + exprNode.where() + about + "field 'expr' must be set in rule");
    } else {
      try {
        Engine.check(expr);
      } catch (PromqlException e) {
        errors.add(prefix + exprNode.where() + about + "could not parse expression: " + e.getMessage());
      }
    }
    if (!record.isEmpty()) {
      if (!annotations.isEmpty()) {
        errors.add(prefix + recordNode.where() + about + "invalid field 'annotations' in recording rule");
      }
      if (forMillis != 0) {
        errors.add(prefix + recordNode.where() + about + "invalid field 'for' in recording rule");
      }
      if (keepFiringFor != 0) {
        errors.add(prefix + recordNode.where() + about + "invalid field 'keep_firing_for' in recording rule");
      }
      if (!METRIC_NAME.matcher(record).matches()) {
        errors.add(prefix + recordNode.where() + about + "invalid recording rule name: " + record);
      }
    }
    for (String label : labels.keySet()) {
      if (!LABEL_NAME.matcher(label).matches() || label.equals("__name__")) {
        errors.add(prefix + about + "invalid label name: " + label);
      }
    }
    for (String annotation : annotations.keySet()) {
      if (!LABEL_NAME.matcher(annotation).matches()) {
        errors.add(prefix + about + "invalid annotation name: " + annotation);
      }
    }
    if (!alert.isEmpty()) {
      checkTemplates("label", labels, fields.get("labels"), prefix, about, errors);
      checkTemplates("annotation", annotations, fields.get("annotations"), prefix, about, errors);
    }
    return new RuleDefinition(alert.isEmpty() ? record : alert, !alert.isEmpty(), expr, forMillis, keepFiringFor, labels, annotations,
      node.line());
  }

  private static void checkTemplates(String what, Map<String, String> templates, YamlNode node, String prefix, String about,
                                     List<String> errors) {
    for (Map.Entry<String, String> entry : templates.entrySet()) {
      try {
        Template.parse(entry.getValue());
      } catch (TemplateException e) {
        errors.add(prefix + node.where() + about + what + " \"" + entry.getKey() + "\": template " + e.getMessage());
      }
    }
  }

  private static String text(Map<String, YamlNode> fields, String name) {
    return fields.containsKey(name) ? fields.get(name).text() : "";
  }
}
