package io.nbnet.rules.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alert's label or annotation template: the subset of Go's text/template that rules use (text,
 * {@code {{ pipeline }}}, {@code if}/{@code else if}/{@code else}, {@code range}, {@code with}, variables,
 * comments, trim markers) and the functions of {@link TemplateFunctions}. It runs as Prometheus runs it:
 * on {@link Data}, with {@code $labels}, {@code $externalLabels}, {@code $externalURL} and {@code $value}
 * declared, a missing label reading as empty.
 */
public final class Template {

  private static final int MAX_OUTPUT_CHARS = 64 * 1024;
  private static final int MAX_STEPS = 100_000;

  private final List<Node> nodes;

  private Template(List<Node> nodes) {
    this.nodes = nodes;
  }

  /** What a template sees: the alert's labels (its series's, {@code __name__} included) and value. */
  public record Data(Map<String, String> labels, Map<String, String> externalLabels, String externalUrl, double value) {
  }

  /** The template parsed; {@link TemplateException} names the line and column of what is wrong or outside the subset. */
  public static Template parse(String text) {
    return new Template(TemplateParser.parse(text));
  }

  /** The template run on {@code data}; {@link TemplateException} when a step cannot run (Prometheus then shows the error as the text). */
  public String expand(Data data) {
    Run run = new Run(data);
    run.scope.add(new Variable("$", data));
    run.scope.add(new Variable("$labels", data.labels()));
    run.scope.add(new Variable("$externalLabels", data.externalLabels()));
    run.scope.add(new Variable("$externalURL", data.externalUrl()));
    run.scope.add(new Variable("$value", data.value()));
    run.list(nodes, data);
    return run.out.toString();
  }

  /** Go's truth: false, 0, "", an empty map and nil are false. */
  static boolean isTrue(Object value) {
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Long l) {
      return l != 0;
    }
    if (value instanceof Double d) {
      return d != 0;
    }
    if (value instanceof String s) {
      return !s.isEmpty();
    }
    if (value instanceof Map<?, ?> map) {
      return !map.isEmpty();
    }
    return true;
  }

  private record Variable(String name, Object value) {
  }

  private static final class Run {
    final StringBuilder out = new StringBuilder();
    final List<Variable> scope = new ArrayList<>();
    final Data data;
    int steps;

    Run(Data data) {
      this.data = data;
    }

    void list(List<Node> nodes, Object dot) {
      for (Node node : nodes) {
        if (++steps > MAX_STEPS || out.length() > MAX_OUTPUT_CHARS) {
          throw new TemplateException("template too large to expand: past " + MAX_STEPS + " steps or " + MAX_OUTPUT_CHARS + " characters");
        }
        if (node instanceof Node.Text text) {
          out.append(text.text());
        } else if (node instanceof Node.Action action) {
          Object value = pipeline(action.pipeline(), dot);
          if (action.pipeline().declared().isEmpty()) {
            out.append(value == null ? "<no value>" : GoFormat.value(value));
          }
        } else {
          control((Node.Control) node, dot);
        }
      }
    }

    private void control(Node.Control control, Object dot) {
      int mark = scope.size();
      Object value = pipeline(control.pipeline(), dot);
      try {
        switch (control.keyword()) {
          case "if" -> list(isTrue(value) ? control.body() : control.otherwise(), dot);
          case "with" -> {
            if (isTrue(value)) {
              list(control.body(), value);
            } else {
              list(control.otherwise(), dot);
            }
          }
          default -> range(control, value, dot);
        }
      } finally {
        truncate(mark);
      }
    }

    private void range(Node.Control control, Object value, Object dot) {
      if (value != null && !(value instanceof Map)) {
        throw new TemplateException(control.place() + ": range can't iterate over " + GoFormat.value(value));
      }
      Map<?, ?> map = value == null ? Map.of() : new TreeMap<>((Map<?, ?>) value);
      if (map.isEmpty()) {
        list(control.otherwise(), dot);
        return;
      }
      List<String> declared = control.pipeline().declared();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        int mark = scope.size();
        if (declared.size() == 1) {
          scope.add(new Variable(declared.get(0), entry.getValue()));
        } else if (declared.size() == 2) {
          scope.add(new Variable(declared.get(0), entry.getKey()));
          scope.add(new Variable(declared.get(1), entry.getValue()));
        }
        list(control.body(), entry.getValue());
        truncate(mark);
      }
    }

    private Object pipeline(Node.Pipeline pipeline, Object dot) {
      Object value = null;
      boolean piped = false;
      for (Node.Command command : pipeline.commands()) {
        value = command(command, dot, piped, value);
        piped = true;
      }
      List<String> declared = pipeline.declared();
      // a range's variables are set per element, not to the map
      if (declared.size() == 1 || (declared.size() == 2 && !(value instanceof Map))) {
        if (pipeline.assigns()) {
          assign(declared.get(0), value, pipeline.place());
        } else {
          scope.add(new Variable(declared.get(0), value));
        }
      }
      return value;
    }

    private Object command(Node.Command command, Object dot, boolean piped, Object pipedValue) {
      Node.Operand first = command.operands().get(0);
      if (first instanceof Node.Function function) {
        List<Object> args = new ArrayList<>();
        for (Node.Operand operand : command.operands().subList(1, command.operands().size())) {
          args.add(operand(operand, dot));
        }
        if (piped) {
          args.add(pipedValue);
        }
        if (++steps > MAX_STEPS) {
          throw new TemplateException("template too large to expand: past " + MAX_STEPS + " steps");
        }
        try {
          Object result = TemplateFunctions.call(function.name(), args);
          if (result instanceof String text && text.length() > MAX_OUTPUT_CHARS) {
            throw new TemplateException("a value past " + MAX_OUTPUT_CHARS + " characters");
          }
          return result;
        } catch (TemplateException e) {
          throw new TemplateException(function.place() + ": executing at <" + function.name() + ">: " + e.getMessage());
        }
      }
      if (command.operands().size() > 1 || piped) {
        throw new TemplateException(command.place() + ": can't give argument to non-function");
      }
      return operand(first, dot);
    }

    private Object operand(Node.Operand operand, Object dot) {
      if (operand instanceof Node.Literal literal) {
        return literal.value();
      }
      if (operand instanceof Node.Function function) {
        return TemplateFunctions.call(function.name(), List.of());
      }
      if (operand instanceof Node.Nested nested) {
        return fields(pipeline(nested.pipeline(), dot), nested.fields(), null);
      }
      Node.Field field = (Node.Field) operand;
      return fields(field.variable() == null ? dot : variable(field.variable(), field.place()), field.fields(), field.place());
    }

    private Object fields(Object value, List<String> fields, Node.Place place) {
      for (String field : fields) {
        if (value instanceof Data d) {
          value = switch (field) {
            case "Labels" -> d.labels();
            case "ExternalLabels" -> d.externalLabels();
            case "ExternalURL" -> d.externalUrl();
            case "Value" -> d.value();
            default -> throw new TemplateException(place + ": can't evaluate field " + field + " in type struct");
          };
        } else if (value instanceof Map<?, ?> map) {
          Object found = map.get(field);
          value = found == null ? "" : found;
        } else {
          throw new TemplateException(place + ": can't evaluate field " + field + " in type " + GoFormat.goType(value));
        }
      }
      return value;
    }

    private Object variable(String name, Node.Place place) {
      for (int i = scope.size() - 1; i >= 0; i--) {
        if (scope.get(i).name().equals(name)) {
          return scope.get(i).value();
        }
      }
      throw new TemplateException(place + ": undefined variable: " + name);
    }

    private void assign(String name, Object value, Node.Place place) {
      for (int i = scope.size() - 1; i >= 0; i--) {
        if (scope.get(i).name().equals(name)) {
          scope.set(i, new Variable(name, value));
          return;
        }
      }
      throw new TemplateException(place + ": undefined variable: " + name);
    }

    private void truncate(int size) {
      while (scope.size() > size) {
        scope.remove(scope.size() - 1);
      }
    }
  }
}
