package io.nbnet.rules.template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lexing half of Go's text/template syntax: the text between actions (trimmed where {@code {{-} and
 * {@code -}}} say), comments dropped, and each action's tokens with their line and column.
 */
final class TemplateLexer {

  enum Kind { END, STRING, NUMBER, VARIABLE, FIELD, DOT, IDENTIFIER, LEFT, RIGHT, PIPE, COMMA, DECLARE, ASSIGN }

  record Token(Kind kind, String text, Object value, Node.Place place, boolean spaceBefore) {
  }

  /** One {@code {{ ... }}} and the text before it; the last item has no action (null). */
  record Item(String text, List<Token> action, Node.Place place) {
  }

  private final String source;
  private final List<Item> items = new ArrayList<>();
  /** Where each line starts: a token's line and column by binary search, not by counting from the start. */
  private final int[] lineStarts;

  private TemplateLexer(String source) {
    this.source = source;
    List<Integer> starts = new ArrayList<>(List.of(0));
    for (int i = 0; i < source.length(); i++) {
      if (source.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
  }

  static List<Item> items(String source) {
    TemplateLexer lexer = new TemplateLexer(source);
    lexer.split();
    return lexer.items;
  }


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
    int line = Arrays.binarySearch(lineStarts, pos);
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
