package io.nbnet.rules.template;

import java.util.List;

/** The parse tree of a template: text, actions and the control structures of the subset. */
sealed interface Node {

  /** Where a node starts in the template's text, for messages: line and column from 1. */
  record Place(int line, int column) {
    @Override
    public String toString() {
      return line + ":" + column;
    }
  }

  record Text(String text) implements Node {
  }

  /** {@code {{ pipeline }}}: prints the pipeline's value unless it declares variables. */
  record Action(Pipeline pipeline) implements Node {
  }

  /** {@code if}, {@code with} or {@code range}: the body runs on a true (non-empty) value, else the else branch. */
  record Control(String keyword, Pipeline pipeline, List<Node> body, List<Node> otherwise, Place place) implements Node {
  }

  /** Commands joined by {@code |}; each command's value is the last argument of the next. */
  record Pipeline(List<String> declared, boolean assigns, List<Command> commands, Place place) {
  }

  record Command(List<Operand> operands, Place place) {
  }

  sealed interface Operand {
  }

  record Literal(Object value) implements Operand {
  }

  /** A variable ({@code $labels}) or the dot ({@code .}, variable {@code null}), then fields ({@code .instance}). */
  record Field(String variable, List<String> fields, Place place) implements Operand {
  }

  record Function(String name, Place place) implements Operand {
  }

  record Nested(Pipeline pipeline, List<String> fields) implements Operand {
  }
}
