package io.nbnet.rules.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Go's text/template syntax, for the subset {@link Template} runs: text, actions, if/else, range, with,
 * comments, trim markers; over the items {@link TemplateLexer} makes of the text.
 */
final class TemplateParser {

  private static final Set<String> KEYWORDS = Set.of("if", "else", "end", "range", "with");
  private static final Set<String> UNSUPPORTED = Set.of("define", "template", "block", "break", "continue");

  /** Parentheses and control structures nested deeper than this are refused, not recursed into. */
  private static final int MAX_DEPTH = 100;

  private final List<TemplateLexer.Item> items;
  private int next;
  private int depth;

  private TemplateParser(List<TemplateLexer.Item> items) {
    this.items = items;
  }

  static List<Node> parse(String source) {
    TemplateParser parser = new TemplateParser(TemplateLexer.items(source));
    List<Node> nodes = new ArrayList<>();
    String ended = parser.list(nodes);
    if (ended != null) {
      throw new TemplateException(parser.items.get(parser.next - 1).place() + ": unexpected {{" + ended + "}}");
    }
    return nodes;
  }

  /** Nodes up to an {@code else} or {@code end} (returned: "else ..." or "end"), or to the end of the text (null). */
  private String list(List<Node> nodes) {
    while (next < items.size()) {
      TemplateLexer.Item item = items.get(next++);
      if (!item.text().isEmpty()) {
        nodes.add(new Node.Text(item.text()));
      }
      if (item.action() == null) {
        continue;
      }
      List<TemplateLexer.Token> tokens = item.action();
      if (tokens.isEmpty()) {
        continue;
      }
      TemplateLexer.Token first = tokens.get(0);
      if (first.kind() == TemplateLexer.Kind.IDENTIFIER && (first.text().equals("end") || first.text().equals("else"))) {
        if (first.text().equals("end") && tokens.size() > 1) {
          throw new TemplateException(tokens.get(1).place() + ": unexpected " + tokens.get(1).text() + " in end");
        }
        return first.text();
      }
      if (first.kind() == TemplateLexer.Kind.IDENTIFIER && Set.of("if", "range", "with").contains(first.text())) {
        nodes.add(control(first.text(), tokens.subList(1, tokens.size()), first.place()));
        continue;
      }
      nodes.add(new Node.Action(pipeline(new Cursor(tokens, item.place()), TemplateLexer.Kind.END)));
    }
    return null;
  }

  private Node control(String keyword, List<TemplateLexer.Token> tokens, Node.Place place) {
    if (++depth > MAX_DEPTH) {
      throw new TemplateException(place + ": nested deeper than " + MAX_DEPTH);
    }
    try {
      return controlAt(keyword, tokens, place);
    } finally {
      depth--;
    }
  }

  private Node controlAt(String keyword, List<TemplateLexer.Token> tokens, Node.Place place) {
    if (tokens.isEmpty()) {
      throw new TemplateException(place + ": missing value for " + keyword);
    }
    Node.Pipeline pipeline = pipeline(new Cursor(tokens, place), TemplateLexer.Kind.END);
    List<Node> body = new ArrayList<>();
    String ended = list(body);
    if (ended == null) {
      throw new TemplateException(place + ": unexpected EOF: {{" + keyword + "}} has no {{end}}");
    }
    List<Node> otherwise = new ArrayList<>();
    if (ended.equals("else")) {
      List<TemplateLexer.Token> elseTokens = items.get(next - 1).action();
      if (elseTokens.size() > 1 && elseTokens.get(1).kind() == TemplateLexer.Kind.IDENTIFIER && elseTokens.get(1).text().equals(keyword)
        && !keyword.equals("range")) {
        // {{else if ...}}: an if inside the else, sharing this one's {{end}}
        otherwise.add(control(keyword, elseTokens.subList(2, elseTokens.size()), elseTokens.get(1).place()));
      } else {
        if (elseTokens.size() > 1) {
          throw new TemplateException(elseTokens.get(1).place() + ": unexpected " + elseTokens.get(1).text() + " in else");
        }
        String closed = list(otherwise);
        if (!"end".equals(closed)) {
          throw new TemplateException(place + ": {{" + keyword + "}} has no {{end}}");
        }
      }
    }
    return new Node.Control(keyword, pipeline, body, otherwise, place);
  }

  private Node.Pipeline pipeline(Cursor cursor, TemplateLexer.Kind closing) {
    if (++depth > MAX_DEPTH) {
      throw new TemplateException(cursor.place() + ": nested deeper than " + MAX_DEPTH);
    }
    try {
      return pipelineAt(cursor, closing);
    } finally {
      depth--;
    }
  }

  private Node.Pipeline pipelineAt(Cursor cursor, TemplateLexer.Kind closing) {
    List<String> declared = new ArrayList<>();
    boolean assigns = false;
    Node.Place place = cursor.place();
    if (cursor.peek().kind() == TemplateLexer.Kind.VARIABLE) {
      int mark = cursor.at;
      List<String> names = new ArrayList<>(List.of(cursor.take().text()));
      if (cursor.peek().kind() == TemplateLexer.Kind.COMMA) {
        cursor.take();
        if (cursor.peek().kind() != TemplateLexer.Kind.VARIABLE) {
          throw new TemplateException(cursor.place() + ": expected a variable after the comma");
        }
        names.add(cursor.take().text());
      }
      if (cursor.peek().kind() == TemplateLexer.Kind.DECLARE || cursor.peek().kind() == TemplateLexer.Kind.ASSIGN) {
        assigns = cursor.take().kind() == TemplateLexer.Kind.ASSIGN;
        declared = names;
      } else {
        cursor.at = mark;
      }
    }
    List<Node.Command> commands = new ArrayList<>();
    while (true) {
      commands.add(command(cursor));
      TemplateLexer.Kind kind = cursor.peek().kind();
      if (kind == TemplateLexer.Kind.PIPE) {
        cursor.take();
        continue;
      }
      if (kind == closing) {
        if (closing == TemplateLexer.Kind.RIGHT) {
          cursor.take();
        }
        break;
      }
      throw new TemplateException(cursor.place() + ": unexpected " + describe(cursor.peek()) + " in operand");
    }
    return new Node.Pipeline(declared, assigns, commands, place);
  }

  private Node.Command command(Cursor cursor) {
    Node.Place place = cursor.place();
    List<Node.Operand> operands = new ArrayList<>();
    while (true) {
      TemplateLexer.Token token = cursor.peek();
      if (token.kind() == TemplateLexer.Kind.END || token.kind() == TemplateLexer.Kind.PIPE || token.kind() == TemplateLexer.Kind.RIGHT) {
        break;
      }
      operands.add(operand(cursor));
    }
    if (operands.isEmpty()) {
      throw new TemplateException(place + ": missing value for command");
    }
    return new Node.Command(operands, place);
  }

  private Node.Operand operand(Cursor cursor) {
    TemplateLexer.Token token = cursor.take();
    Node.Operand term = switch (token.kind()) {
      case STRING, NUMBER -> new Node.Literal(token.value());
      case DOT -> new Node.Field(null, new ArrayList<>(), token.place());
      case VARIABLE -> new Node.Field(token.text(), new ArrayList<>(), token.place());
      case FIELD -> new Node.Field(null, new ArrayList<>(List.of(token.text().substring(1))), token.place());
      case LEFT -> new Node.Nested(pipeline(cursor, TemplateLexer.Kind.RIGHT), new ArrayList<>());
      case IDENTIFIER -> identifier(token);
      default -> throw new TemplateException(token.place() + ": unexpected " + describe(token) + " in operand");
    };
    while (cursor.peek().kind() == TemplateLexer.Kind.FIELD && !cursor.peek().spaceBefore()) {
      String field = cursor.take().text().substring(1);
      if (term instanceof Node.Field f) {
        f.fields().add(field);
      } else if (term instanceof Node.Nested nested) {
        nested.fields().add(field);
      } else {
        throw new TemplateException(token.place() + ": unexpected ." + field + " after " + token.text());
      }
    }
    return term;
  }

  private static Node.Operand identifier(TemplateLexer.Token token) {
    return switch (token.text()) {
      case "true" -> new Node.Literal(Boolean.TRUE);
      case "false" -> new Node.Literal(Boolean.FALSE);
      case "nil" -> new Node.Literal(null);
      default -> {
        if (KEYWORDS.contains(token.text()) || UNSUPPORTED.contains(token.text())) {
          throw new TemplateException(token.place() + ": {{" + token.text() + "}} is not in the template subset nbnet runs");
        }
        if (!TemplateFunctions.isKnown(token.text())) {
          throw new TemplateException(token.place() + ": function \"" + token.text() + "\" not defined (nbnet runs "
            + "the subset rules use: " + TemplateFunctions.names() + ")");
        }
        yield new Node.Function(token.text(), token.place());
      }
    };
  }

  private static String describe(TemplateLexer.Token token) {
    return token.kind() == TemplateLexer.Kind.END ? "end of action" : "\"" + token.text() + "\"";
  }

  private static final class Cursor {
    final List<TemplateLexer.Token> tokens;
    final Node.Place endPlace;
    int at;

    Cursor(List<TemplateLexer.Token> tokens, Node.Place endPlace) {
      this.tokens = tokens;
      this.endPlace = endPlace;
    }

    TemplateLexer.Token peek() {
      return at < tokens.size() ? tokens.get(at) : new TemplateLexer.Token(TemplateLexer.Kind.END, "", null, endPlace, true);
    }

    TemplateLexer.Token take() {
      TemplateLexer.Token token = peek();
      at++;
      return token;
    }

    Node.Place place() {
      return peek().place();
    }
  }
}
