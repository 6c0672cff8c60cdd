package io.nbnet.rules.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Go's text/template syntax, for the subset {@link Template} runs: text, actions, if/else, range, with, comments, trim markers. */
final class TemplateParser {

  private enum Kind { END, STRING, NUMBER, VARIABLE, FIELD, DOT, IDENTIFIER, LEFT, RIGHT, PIPE, COMMA, DECLARE, ASSIGN }

  private record Token(Kind kind, String text, Object value, Node.Place place, boolean spaceBefore) {
  }

  /** One {@code {{ ... }}} and the text before it. */
  private record Item(String text, List<Token> action, Node.Place place) {
  }

  private static final Set<String> KEYWORDS = Set.of("if", "else", "end", "range", "with");
  private static final Set<String> UNSUPPORTED = Set.of("define", "template", "block", "break", "continue");

  /** Parentheses and control structures nested deeper than this are refused, not recursed into. */
  private static final int MAX_DEPTH = 100;

  private final String source;
  private final List<Item> items = new ArrayList<>();
  private int next;
  private int depth;

  /** Where each line starts: a token's line and column by binary search, not by counting from the start. */
  private final int[] lineStarts;

  private TemplateParser(String source) {
    this.source = source;
    List<Integer> starts = new ArrayList<>(List.of(0));
    for (int i = 0; i < source.length(); i++) {
      if (source.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
  }

  static List<Node> parse(String source) {
    TemplateParser parser = new TemplateParser(source);
    parser.split();
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
      Item item = items.get(next++);
      if (!item.text().isEmpty()) {
        nodes.add(new Node.Text(item.text()));
      }
      if (item.action() == null) {
        continue;
      }
      List<Token> tokens = item.action();
      if (tokens.isEmpty()) {
        continue;
      }
      Token first = tokens.get(0);
      if (first.kind() == Kind.IDENTIFIER && (first.text().equals("end") || first.text().equals("else"))) {
        if (first.text().equals("end") && tokens.size() > 1) {
          throw new TemplateException(tokens.get(1).place() + ": unexpected " + tokens.get(1).text() + " in end");
        }
        return first.text();
      }
      if (first.kind() == Kind.IDENTIFIER && Set.of("if", "range", "with").contains(first.text())) {
        nodes.add(control(first.text(), tokens.subList(1, tokens.size()), first.place()));
        continue;
      }
      nodes.add(new Node.Action(pipeline(new Cursor(tokens, item.place()), Kind.END)));
    }
    return null;
  }

  private Node control(String keyword, List<Token> tokens, Node.Place place) {
    if (++depth > MAX_DEPTH) {
      throw new TemplateException(place + ": nested deeper than " + MAX_DEPTH);
    }
    try {
      return controlAt(keyword, tokens, place);
    } finally {
      depth--;
    }
  }

  private Node controlAt(String keyword, List<Token> tokens, Node.Place place) {
    if (tokens.isEmpty()) {
      throw new TemplateException(place + ": missing value for " + keyword);
    }
    Node.Pipeline pipeline = pipeline(new Cursor(tokens, place), Kind.END);
    List<Node> body = new ArrayList<>();
    String ended = list(body);
    if (ended == null) {
      throw new TemplateException(place + ": unexpected EOF: {{" + keyword + "}} has no {{end}}");
    }
    List<Node> otherwise = new ArrayList<>();
    if (ended.equals("else")) {
      List<Token> elseTokens = items.get(next - 1).action();
      if (elseTokens.size() > 1 && elseTokens.get(1).kind() == Kind.IDENTIFIER && elseTokens.get(1).text().equals(keyword)
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

  private Node.Pipeline pipeline(Cursor cursor, Kind closing) {
    if (++depth > MAX_DEPTH) {
      throw new TemplateException(cursor.place() + ": nested deeper than " + MAX_DEPTH);
    }
    try {
      return pipelineAt(cursor, closing);
    } finally {
      depth--;
    }
  }

  private Node.Pipeline pipelineAt(Cursor cursor, Kind closing) {
    List<String> declared = new ArrayList<>();
    boolean assigns = false;
    Node.Place place = cursor.place();
    if (cursor.peek().kind() == Kind.VARIABLE) {
      int mark = cursor.at;
      List<String> names = new ArrayList<>(List.of(cursor.take().text()));
      if (cursor.peek().kind() == Kind.COMMA) {
        cursor.take();
        if (cursor.peek().kind() != Kind.VARIABLE) {
          throw new TemplateException(cursor.place() + ": expected a variable after the comma");
        }
        names.add(cursor.take().text());
      }
      if (cursor.peek().kind() == Kind.DECLARE || cursor.peek().kind() == Kind.ASSIGN) {
        assigns = cursor.take().kind() == Kind.ASSIGN;
        declared = names;
      } else {
        cursor.at = mark;
      }
    }
    List<Node.Command> commands = new ArrayList<>();
    while (true) {
      commands.add(command(cursor));
      Kind kind = cursor.peek().kind();
      if (kind == Kind.PIPE) {
        cursor.take();
        continue;
      }
      if (kind == closing) {
        if (closing == Kind.RIGHT) {
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
      Token token = cursor.peek();
      if (token.kind() == Kind.END || token.kind() == Kind.PIPE || token.kind() == Kind.RIGHT) {
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
    Token token = cursor.take();
    Node.Operand term = switch (token.kind()) {
      case STRING, NUMBER -> new Node.Literal(token.value());
      case DOT -> new Node.Field(null, new ArrayList<>(), token.place());
      case VARIABLE -> new Node.Field(token.text(), new ArrayList<>(), token.place());
      case FIELD -> new Node.Field(null, new ArrayList<>(List.of(token.text().substring(1))), token.place());
      case LEFT -> new Node.Nested(pipeline(cursor, Kind.RIGHT), new ArrayList<>());
      case IDENTIFIER -> identifier(token);
      default -> throw new TemplateException(token.place() + ": unexpected " + describe(token) + " in operand");
    };
    while (cursor.peek().kind() == Kind.FIELD && !cursor.peek().spaceBefore()) {
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

  private static Node.Operand identifier(Token token) {
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

  private static String describe(Token token) {
    return token.kind() == Kind.END ? "end of action" : "\"" + token.text() + "\"";
  }

  private static final class Cursor {
    final List<Token> tokens;
    final Node.Place endPlace;
    int at;

    Cursor(List<Token> tokens, Node.Place endPlace) {
      this.tokens = tokens;
      this.endPlace = endPlace;
    }

    Token peek() {
      return at < tokens.size() ? tokens.get(at) : new Token(Kind.END, "", null, endPlace, true);
    }

    Token take() {
      Token token = peek();
      at++;
      return token;
    }

    Node.Place place() {
      return peek().place();
    }
  }

  // ---- lexing ----

  private void split() {
    int pos = 0;
    StringBuilder pendingText = new StringBuilder();
    while (pos < source.length()) {
      int open = source.indexOf("{{", pos);
      if (open < 0) {
        pendingText.append(source, pos, source.length());
        break;
      }
      String text = source.substring(pos, open);
      int inside = open + 2;
      if (source.startsWith("-", inside) && inside + 1 < source.length() && isSpace(source.charAt(inside + 1))) {
        text = text.stripTrailing();
        inside += 2;
      }
      pendingText.append(text);
      Node.Place place = place(open);
      List<Token> tokens = new ArrayList<>();
      int end = lexAction(inside, tokens);
      boolean trimRight = source.startsWith("-}}", end - 1) && end > 0 && source.charAt(end - 1) == '-';
      pos = end + 2;
      if (trimRight) {
        while (pos < source.length() && isSpace(source.charAt(pos))) {
          pos++;
        }
      }
      items.add(new Item(pendingText.toString(), tokens, place));
      pendingText.setLength(0);
    }
    items.add(new Item(pendingText.toString(), null, place(source.length())));
  }

  /** Lexes an action's tokens from {@code pos}; returns the index of its closing {@code }}} (or of the {@code -} before it). */
  private int lexAction(int pos, List<Token> tokens) {
    int start = pos;
    while (pos < source.length() && isSpace(source.charAt(pos))) {
      pos++;
    }
    if (source.startsWith("/*", pos)) {
      int close = source.indexOf("*/", pos + 2);
      if (close < 0) {
        throw new TemplateException(place(pos) + ": unclosed comment");
      }
      pos = close + 2;
      int end = closing(pos);
      if (end < 0) {
        throw new TemplateException(place(pos) + ": comment ends before closing delimiter");
      }
      return end;
    }
    pos = start;
    while (true) {
      boolean space = false;
      while (pos < source.length() && isSpace(source.charAt(pos))) {
        pos++;
        space = true;
      }
      if (pos >= source.length()) {
        throw new TemplateException(place(pos) + ": unclosed action");
      }
      if (source.startsWith("}}", pos)) {
        return pos;
      }
      if (space && source.startsWith("-}}", pos)) {
        return pos + 1;
      }
      char c = source.charAt(pos);
      Node.Place place = place(pos);
      int from = pos;
      if (c == '"' || c == '`') {
        pos = string(pos, tokens, place, space);
        continue;
      }
      if (c == '\'') {
        int close = source.indexOf('\'', pos + 1);
        if (close < 0) {
          throw new TemplateException(place + ": unterminated character constant");
        }
        String inner = unescape(source.substring(pos + 1, close), place);
        if (inner.isEmpty()) {
          throw new TemplateException(place + ": empty character constant");
        }
        tokens.add(new Token(Kind.NUMBER, source.substring(pos, close + 1), (long) inner.codePointAt(0), place, space));
        pos = close + 1;
        continue;
      }
      if (c == '$') {
        pos++;
        while (pos < source.length() && isWordChar(source.charAt(pos))) {
          pos++;
        }
        tokens.add(new Token(Kind.VARIABLE, source.substring(from, pos), null, place, space));
        continue;
      }
      if (c == '.' && pos + 1 < source.length() && isWordStart(source.charAt(pos + 1))) {
        pos++;
        while (pos < source.length() && isWordChar(source.charAt(pos))) {
          pos++;
        }
        tokens.add(new Token(Kind.FIELD, source.substring(from, pos), null, place, space));
        continue;
      }
      if (Character.isDigit(c) || ((c == '-' || c == '+' || c == '.') && pos + 1 < source.length()
        && Character.isDigit(source.charAt(pos + 1)))) {
        pos++;
        while (pos < source.length() && (Character.isLetterOrDigit(source.charAt(pos)) || source.charAt(pos) == '.'
          || ((source.charAt(pos) == '-' || source.charAt(pos) == '+') && "eE".indexOf(source.charAt(pos - 1)) >= 0))) {
          pos++;
        }
        String text = source.substring(from, pos);
        tokens.add(new Token(Kind.NUMBER, text, number(text, place), place, space));
        continue;
      }
      if (isWordStart(c)) {
        while (pos < source.length() && isWordChar(source.charAt(pos))) {
          pos++;
        }
        tokens.add(new Token(Kind.IDENTIFIER, source.substring(from, pos), null, place, space));
        continue;
      }
      Kind kind = switch (c) {
        case '.' -> Kind.DOT;
        case '(' -> Kind.LEFT;
        case ')' -> Kind.RIGHT;
        case '|' -> Kind.PIPE;
        case ',' -> Kind.COMMA;
        case '=' -> Kind.ASSIGN;
        case ':' -> {
          if (!source.startsWith(":=", pos)) {
            throw new TemplateException(place + ": expected :=");
          }
          pos++;
          yield Kind.DECLARE;
        }
        default -> throw new TemplateException(place + ": unexpected \"" + c + "\" in command");
      };
      pos++;
      tokens.add(new Token(kind, source.substring(from, pos), null, place, space));
    }
  }

  private int closing(int pos) {
    while (pos < source.length() && isSpace(source.charAt(pos))) {
      pos++;
    }
    if (source.startsWith("}}", pos)) {
      return pos;
    }
    return source.startsWith("-}}", pos) ? pos + 1 : -1;
  }

  private int string(int pos, List<Token> tokens, Node.Place place, boolean space) {
    char quote = source.charAt(pos);
    int i = pos + 1;
    while (i < source.length() && source.charAt(i) != quote) {
      if (quote == '"' && source.charAt(i) == '\\') {
        i++;
      }
      if (quote == '"' && i < source.length() && source.charAt(i) == '\n') {
        break;
      }
      i++;
    }
    if (i >= source.length() || source.charAt(i) != quote) {
      throw new TemplateException(place + ": unterminated " + (quote == '"' ? "quoted string" : "raw quoted string"));
    }
    String inner = source.substring(pos + 1, i);
    tokens.add(new Token(Kind.STRING, source.substring(pos, i + 1), quote == '"' ? unescape(inner, place) : inner, place, space));
    return i + 1;
  }

  /** Go's number constants as templates type them: an integer is an int, one with {@code .} or an exponent a float64. */
  private static Object number(String text, Node.Place place) {
    try {
      String plain = text.replace("_", "");
      if (plain.matches("[+-]?0[xX][0-9a-fA-F]+")) {
        return Long.parseLong(plain.replaceFirst("0[xX]", ""), 16);
      }
      if (plain.matches("[+-]?[0-9]+")) {
        return Long.parseLong(plain);
      }
      return Double.parseDouble(plain);
    } catch (NumberFormatException e) {
      throw new TemplateException(place + ": bad number syntax: \"" + text + "\"");
    }
  }

  private static String unescape(String text, Node.Place place) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i >= text.length()) {
        throw new TemplateException(place + ": invalid syntax in string");
      }
      char e = text.charAt(i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'v' -> out.append('\u000b');
        case '\\', '"', '\'' -> out.append(e);
        case 'x', 'u', 'U' -> {
          int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          if (i + digits > text.length() - 1) {
            throw new TemplateException(place + ": invalid syntax in string");
          }
          try {
            out.appendCodePoint(Integer.parseInt(text.substring(i + 1, i + 1 + digits), 16));
          } catch (IllegalArgumentException bad) {
            throw new TemplateException(place + ": invalid syntax in string");
          }
          i += digits;
        }
        default -> throw new TemplateException(place + ": invalid syntax in string");
      }
    }
    return out.toString();
  }

  private Node.Place place(int pos) {
    int line = java.util.Arrays.binarySearch(lineStarts, pos);
    if (line < 0) {
      line = -line - 2;
    }
    return new Node.Place(line + 1, pos - lineStarts[line] + 1);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean isWordStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
