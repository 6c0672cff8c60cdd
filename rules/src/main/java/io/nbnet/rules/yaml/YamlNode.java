package io.nbnet.rules.yaml;

import io.nbnet.promql.Engine;
import io.nbnet.promql.PromqlException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A YAML node that knows where it stands (line and column, from 1) and reads as Go's yaml.v3 decodes
 * into Prometheus's structs: scalars as text, unknown fields refused (as {@code KnownFields(true)}).
 */
public final class YamlNode {

  private static final int MAX_ALIASES = 50;

  private final Node node;

  private YamlNode(Node node) {
    this.node = node;
  }

  /** The document's root; an empty document is an empty mapping. */
  public static YamlNode parse(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setAllowDuplicateKeys(false);
    try {
      Node root = new Yaml(options).compose(new StringReader(text));
      return new YamlNode(root);
    } catch (MarkedYAMLException e) {
      var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String where = mark == null ? "" : (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": ";
      throw new YamlError(where + "yaml: " + e.getProblem());
    } catch (YAMLException e) {
      throw new YamlError("yaml: " + e.getMessage());
    }
  }

  public boolean isEmpty() {
    return node == null;
  }

  public int line() {
    return node == null ? 0 : node.getStartMark().getLine() + 1;
  }

  public int column() {
    return node == null ? 0 : node.getStartMark().getColumn() + 1;
  }

  /** {@code line:column: } of this node, for a message. */
  public String where() {
    return line() + ":" + column() + ": ";
  }

  /** This mapping's fields; one not in {@code known} is refused with its place. */
  public Map<String, YamlNode> fields(String type, Set<String> known) {
    Map<String, YamlNode> fields = new LinkedHashMap<>();
    if (node == null || isNull()) {
      return fields;
    }
    if (!(node instanceof MappingNode mapping)) {
      throw new YamlError(where() + "yaml: cannot unmarshal " + kind() + " into " + type);
    }
    for (NodeTuple tuple : mapping.getValue()) {
      YamlNode key = new YamlNode(tuple.getKeyNode());
      String name = key.text();
      if (!known.contains(name)) {
        throw new YamlError(key.where() + "field " + name + " not found in type " + type);
      }
      fields.put(name, new YamlNode(tuple.getValueNode()));
    }
    return fields;
  }

  /** A mapping of text to text (labels, annotations), in the file's order. */
  public Map<String, String> textMap(String what) {
    Map<String, String> map = new LinkedHashMap<>();
    if (node == null || isNull()) {
      return map;
    }
    if (!(node instanceof MappingNode mapping)) {
      throw new YamlError(where() + "yaml: cannot unmarshal " + kind() + " into " + what);
    }
    for (NodeTuple tuple : mapping.getValue()) {
      map.put(new YamlNode(tuple.getKeyNode()).text(), new YamlNode(tuple.getValueNode()).text());
    }
    return map;
  }

  public List<YamlNode> list(String what) {
    List<YamlNode> items = new ArrayList<>();
    if (node == null || isNull()) {
      return items;
    }
    if (!(node instanceof SequenceNode sequence)) {
      throw new YamlError(where() + "yaml: cannot unmarshal " + kind() + " into " + what);
    }
    sequence.getValue().forEach(item -> items.add(new YamlNode(item)));
    return items;
  }

  /** A duration as Prometheus writes one ({@code 5m}, {@code 1h30m}) in milliseconds; absent or empty is 0. */
  public static long duration(YamlNode node) {
    if (node == null || node.text().isEmpty()) {
      return 0;
    }
    try {
      return Engine.parseDuration(node.text());
    } catch (PromqlException e) {
      throw new YamlError(node.where() + e.getMessage());
    }
  }

  /** A scalar's text; null is empty, as Go decodes it into a string. */
  public String text() {
    if (node == null || isNull()) {
      return "";
    }
    if (!(node instanceof ScalarNode scalar)) {
      throw new YamlError(where() + "yaml: cannot unmarshal " + kind() + " into string");
    }
    return scalar.getValue();
  }

  private boolean isNull() {
    return node instanceof ScalarNode scalar && node.getTag().getValue().endsWith(":null");
  }

  private String kind() {
    if (node instanceof MappingNode) {
      return "!!map";
    }
    return node instanceof SequenceNode ? "!!seq" : "!!str `" + ((ScalarNode) node).getValue() + "`";
  }

  /** A YAML document that does not read as what it should be: the message starts with its place. */
  public static final class YamlError extends RuntimeException {
    public YamlError(String message) {
      super(message);
    }
  }
}
