package io.nbnet.promql.parser;

import io.nbnet.promql.Labels;
import io.nbnet.promql.Matcher;
import io.nbnet.promql.PromqlException;

import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written recursive-descent parser of PromQL, following Prometheus 2.42's yacc grammar: binary
 * operators by precedence ({@code or} &lt; {@code and unless} &lt; comparisons &lt; {@code + -} &lt;
 * {@code * / % atan2} &lt; {@code ^}, which alone is right-associative), unary minus binding like
 * {@code *}, and {@code [range]}, {@code [range:step]}, {@code offset} and {@code @} binding tightest.
 * The tree is then type-checked as Prometheus checks it ({@link Checker}).
 */
public final class Parser {

  /** Nesting past this is refused: the parser and the evaluator recurse once per level, and a thread's stack is small. */
  static final int MAX_DEPTH = 500;

  private final String input;
  private final List<Token> tokens;
  private int next;
  private int depth;

  private Parser(String input) {
    this.input = input;
    this.tokens = Lexer.tokens(input);
  }

  /** The query's syntax tree; {@link PromqlException} of kind {@code BAD_DATA} when it is not valid PromQL. */
  public static Ast.Expr parse(String query) {
    Parser parser = new Parser(query);
    if (parser.peek().type() == TokenType.EOF) {
      throw error(query, 0, "no expression found in input");
    }
    Ast.Expr expr = parser.expression(0);
    if (parser.peek().type() != TokenType.EOF) {
      throw parser.unexpected(parser.peek(), "", "");
    }
    new Checker().check(expr);
    return expr;
  }

  /** A series' labels written as {@code name{label="value", ...}} (the test files' and promtool's form). */
  public static Labels parseMetric(String text) {
    Parser parser = new Parser(text);
    String name = "";
    if (parser.peek().type().isMetricIdentifier()) {
      name = parser.advance().text();
    }
    java.util.Map<String, String> labels = new java.util.TreeMap<>();
    if (parser.peek().type() == TokenType.LEFT_BRACE) {
      parser.advance();
      while (parser.peek().type() != TokenType.RIGHT_BRACE) {
        Token label = parser.expect(TokenType.IDENTIFIER, "label set");
        parser.expect(TokenType.EQL, "label set");
        labels.put(label.text(), Quoting.unquote(parser.expect(TokenType.STRING, "label set").text()));
        if (parser.peek().type() == TokenType.COMMA) {
          parser.advance();
        }
      }
      parser.advance();
    }
    if (parser.peek().type() != TokenType.EOF) {
      throw parser.unexpected(parser.peek(), "label set", "end of input");
    }
    if (!name.isEmpty()) {
      labels.put(Labels.METRIC_NAME, name);
    }
    return Labels.of(labels);
  }

  private static int precedence(TokenType type) {
    return switch (type) {
      case LOR -> 1;
      case LAND, LUNLESS -> 2;
      case EQLC, NEQ, LTE, LSS, GTE, GTR -> 3;
      case ADD, SUB -> 4;
      case MUL, DIV, MOD, ATAN2 -> 5;
      case POW -> 6;
      default -> -1;
    };
  }

  private Ast.Expr expression(int minPrecedence) {
    if (++depth > MAX_DEPTH) {
      throw error(input, peek().pos(), "the expression nests more than " + MAX_DEPTH + " levels deep");
    }
    try {
      return binary(minPrecedence);
    } finally {
      depth--;
    }
  }

  private Ast.Expr binary(int minPrecedence) {
    Ast.Expr left = unary();
    while (true) {
      TokenType op = peek().type();
      int precedence = precedence(op);
      if (precedence < 0 || precedence < minPrecedence) {
        return left;
      }
      advance();
      boolean returnBool = accept(TokenType.BOOL);
      Ast.VectorMatching matching = matching();
      Ast.Expr right = expression(op == TokenType.POW ? precedence : precedence + 1);
      left = new Ast.BinaryExpr(op, left, right, matching, returnBool);
    }
  }

  private Ast.VectorMatching matching() {
    Ast.VectorMatching matching = new Ast.VectorMatching();
    if (peek().type() == TokenType.ON || peek().type() == TokenType.IGNORING) {
      matching.on = advance().type() == TokenType.ON;
      matching.matchingLabels = groupingLabels();
      if (peek().type() == TokenType.GROUP_LEFT || peek().type() == TokenType.GROUP_RIGHT) {
        matching.card = advance().type() == TokenType.GROUP_LEFT ? Ast.Cardinality.MANY_TO_ONE : Ast.Cardinality.ONE_TO_MANY;
        matching.include = peek().type() == TokenType.LEFT_PAREN ? groupingLabels() : List.of();
      }
    }
    return matching;
  }

  /** A unary sign binds like {@code *}: {@code -a ^ b} is {@code -(a ^ b)}, {@code -a * b} is {@code (-a) * b}. */
  private Ast.Expr unary() {
    TokenType sign = peek().type();
    if (sign != TokenType.ADD && sign != TokenType.SUB) {
      return postfix(primary());
    }
    advance();
    Ast.Expr operand = expression(precedence(TokenType.MUL) + 1);
    if (operand instanceof Ast.NumberLiteral number) {
      if (sign == TokenType.SUB) {
        number.value = -number.value;
      }
      return number;
    }
    return new Ast.UnaryExpr(sign, operand);
  }

  private Ast.Expr postfix(Ast.Expr expr) {
    Ast.Expr result = expr;
    while (true) {
      switch (peek().type()) {
        case LEFT_BRACKET -> result = rangeOrSubquery(result);
        case OFFSET -> result = offset(result);
        case AT -> result = at(result);
        default -> {
          return result;
        }
      }
    }
  }

  private Ast.Expr primary() {
    Token token = advance();
    TokenType type = token.type();
    switch (type) {
      case NUMBER:
        return new Ast.NumberLiteral(Numbers.parse(token.text(), () -> error(input, token.pos(), "error parsing number: " + token.text())));
      case STRING:
        return new Ast.StringLiteral(unquote(token));
      case LEFT_PAREN: {
        Ast.Expr inner = expression(0);
        expect(TokenType.RIGHT_PAREN, "paren expression");
        return new Ast.ParenExpr(inner);
      }
      case LEFT_BRACE:
        next--;
        return selector("");
      case IDENTIFIER:
        if (peek().type() == TokenType.LEFT_PAREN) {
          return call(token);
        }
        return selector(token.text());
      default:
        if (type.isAggregator() && (peek().type() == TokenType.LEFT_PAREN || peek().type() == TokenType.BY
          || peek().type() == TokenType.WITHOUT)) {
          return aggregate(type);
        }
        if (type.isMetricIdentifier()) {
          return selector(token.text());
        }
        throw unexpected(token, "", "");
    }
  }

  private Ast.Expr call(Token name) {
    Function function = Function.named(name.text())
      .orElseThrow(() -> error(input, name.pos(), "unknown function with name \"" + name.text() + "\""));
    return new Ast.Call(function, arguments());
  }

  private List<Ast.Expr> arguments() {
    expect(TokenType.LEFT_PAREN, "function call");
    List<Ast.Expr> args = new ArrayList<>();
    if (accept(TokenType.RIGHT_PAREN)) {
      return args;
    }
    while (true) {
      args.add(expression(0));
      if (accept(TokenType.RIGHT_PAREN)) {
        return args;
      }
      Token comma = expect(TokenType.COMMA, "function call arguments");
      if (peek().type() == TokenType.RIGHT_PAREN) {
        throw error(input, comma.pos(), "trailing commas not allowed in function call args");
      }
    }
  }

  private Ast.Expr aggregate(TokenType op) {
    int start = peek().pos();
    List<String> grouping = null;
    boolean without = false;
    if (peek().type() == TokenType.BY || peek().type() == TokenType.WITHOUT) {
      without = advance().type() == TokenType.WITHOUT;
      grouping = groupingLabels();
    }
    List<Ast.Expr> args = arguments();
    if (grouping == null && (peek().type() == TokenType.BY || peek().type() == TokenType.WITHOUT)) {
      without = advance().type() == TokenType.WITHOUT;
      grouping = groupingLabels();
    }
    if (args.isEmpty()) {
      throw error(input, start, "no arguments for aggregate expression provided");
    }
    int wanted = op.isAggregatorWithParam() ? 2 : 1;
    if (args.size() != wanted) {
      throw error(input, start, "wrong number of arguments for aggregate expression provided, expected " + wanted + ", got " + args.size());
    }
    return new Ast.AggregateExpr(op, args.get(wanted - 1), wanted == 2 ? args.get(0) : null, grouping == null ? List.of() : grouping,
      without);
  }

  private List<String> groupingLabels() {
    expect(TokenType.LEFT_PAREN, "grouping opts");
    List<String> labels = new ArrayList<>();
    while (!accept(TokenType.RIGHT_PAREN)) {
      Token label = advance();
      if (!label.type().isLabelWord() || !isLabel(label.text())) {
        throw unexpected(label, "grouping opts", "label");
      }
      labels.add(label.text());
      if (peek().type() != TokenType.RIGHT_PAREN) {
        expect(TokenType.COMMA, "grouping opts");
      }
    }
    return labels;
  }

  private Ast.VectorSelector selector(String name) {
    List<Matcher> matchers = new ArrayList<>();
    int start = peek().pos();
    if (accept(TokenType.LEFT_BRACE)) {
      while (!accept(TokenType.RIGHT_BRACE)) {
        Token label = expect(TokenType.IDENTIFIER, "label matching");
        Token op = advance();
        Matcher.Type type = switch (op.type()) {
          case EQL -> Matcher.Type.EQUAL;
          case NEQ -> Matcher.Type.NOT_EQUAL;
          case EQL_REGEX -> Matcher.Type.REGEX;
          case NEQ_REGEX -> Matcher.Type.NOT_REGEX;
          default -> throw unexpected(op, "label matching", "label matching operator");
        };
        String value = unquote(expect(TokenType.STRING, "label matching"));
        matchers.add(new Matcher(type, label.text(), value));
        if (peek().type() != TokenType.RIGHT_BRACE) {
          expect(TokenType.COMMA, "label matching");
        }
      }
    }
    if (!name.isEmpty()) {
      for (Matcher matcher : matchers) {
        if (matcher.name().equals(Labels.METRIC_NAME)) {
          throw error(input, start, "metric name must not be set twice: \"" + name + "\" or \"" + matcher.value() + "\"");
        }
      }
      matchers.add(new Matcher(Matcher.Type.EQUAL, Labels.METRIC_NAME, name));
    } else if (matchers.stream().allMatch(matcher -> matcher.matches(""))) {
      throw error(input, start, "vector selector must contain at least one non-empty matcher");
    }
    return new Ast.VectorSelector(name, List.copyOf(matchers));
  }

  private Ast.Expr rangeOrSubquery(Ast.Expr expr) {
    Token open = advance();
    long range = duration(expect(TokenType.DURATION, "subquery or range"));
    if (accept(TokenType.COLON)) {
      long step = peek().type() == TokenType.DURATION ? duration(advance()) : 0;
      expect(TokenType.RIGHT_BRACKET, "subquery selector");
      return new Ast.SubqueryExpr(expr, range, step);
    }
    expect(TokenType.RIGHT_BRACKET, "subquery or range");
    if (!(expr instanceof Ast.VectorSelector selector)) {
      throw error(input, open.pos(), "ranges only allowed for vector selectors");
    }
    if (selector.originalOffset != 0) {
      throw error(input, open.pos(), "no offset modifiers allowed before range");
    }
    if (selector.timestamp != null || selector.startOrEnd != null) {
      throw error(input, open.pos(), "no @ modifiers allowed before range");
    }
    return new Ast.MatrixSelector(selector, range);
  }

  private Ast.Expr offset(Ast.Expr expr) {
    Token keyword = advance();
    boolean negative = accept(TokenType.SUB);
    long offset = duration(expect(TokenType.DURATION, "offset"));
    long signed = negative ? -offset : offset;
    if (expr instanceof Ast.VectorSelector selector) {
      selector.originalOffset = setOnce(selector.originalOffset, signed, keyword);
    } else if (expr instanceof Ast.MatrixSelector matrix) {
      matrix.selector.originalOffset = setOnce(matrix.selector.originalOffset, signed, keyword);
    } else if (expr instanceof Ast.SubqueryExpr subquery) {
      subquery.originalOffset = setOnce(subquery.originalOffset, signed, keyword);
    } else {
      throw error(input, keyword.pos(), "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    }
    return expr;
  }

  private long setOnce(long current, long offset, Token keyword) {
    if (current != 0) {
      throw error(input, keyword.pos(), "offset may not be set multiple times");
    }
    return offset;
  }

  private Ast.Expr at(Ast.Expr expr) {
    Token at = advance();
    Long timestamp = null;
    TokenType startOrEnd = null;
    if (peek().type() == TokenType.START || peek().type() == TokenType.END) {
      startOrEnd = advance().type();
      expect(TokenType.LEFT_PAREN, "@");
      expect(TokenType.RIGHT_PAREN, "@");
    } else {
      boolean negative = peek().type() == TokenType.SUB;
      if (negative || peek().type() == TokenType.ADD) {
        advance();
      }
      Token number = expect(TokenType.NUMBER, "@");
      double seconds = Numbers.parse(number.text(), () -> error(input, number.pos(), "error parsing number: " + number.text()));
      seconds = negative ? -seconds : seconds;
      if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds >= (double) Long.MAX_VALUE || seconds <= (double) Long.MIN_VALUE) {
        throw error(input, at.pos(), "timestamp out of bounds for @ modifier: " + String.format(java.util.Locale.ROOT, "%f", seconds));
      }
      timestamp = Math.round(seconds * 1000);
    }
    if (expr instanceof Ast.VectorSelector selector) {
      checkAtUnset(selector.timestamp, selector.startOrEnd, at);
      selector.timestamp = timestamp;
      selector.startOrEnd = startOrEnd;
    } else if (expr instanceof Ast.MatrixSelector matrix) {
      checkAtUnset(matrix.selector.timestamp, matrix.selector.startOrEnd, at);
      matrix.selector.timestamp = timestamp;
      matrix.selector.startOrEnd = startOrEnd;
    } else if (expr instanceof Ast.SubqueryExpr subquery) {
      checkAtUnset(subquery.timestamp, subquery.startOrEnd, at);
      subquery.timestamp = timestamp;
      subquery.startOrEnd = startOrEnd;
    } else {
      throw error(input, at.pos(), "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    }
    return expr;
  }

  private void checkAtUnset(Long timestamp, TokenType startOrEnd, Token at) {
    if (timestamp != null || startOrEnd != null) {
      throw error(input, at.pos(), "@ <timestamp> may not be set multiple times");
    }
  }

  private long duration(Token token) {
    long millis = Durations.parse(token.text());
    if (millis == 0) {
      throw error(input, token.pos(), "duration must be greater than 0");
    }
    return millis;
  }

  private String unquote(Token token) {
    try {
      return Quoting.unquote(token.text());
    } catch (IllegalArgumentException e) {
      throw error(input, token.pos(), "error unquoting string " + token.text() + ": " + e.getMessage());
    }
  }

  private static boolean isLabel(String text) {
    if (text.isEmpty() || !Lexer.isAlpha(text.charAt(0))) {
      return false;
    }
    for (int i = 1; i < text.length(); i++) {
      if (!Lexer.isAlphaNumeric(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token advance() {
    Token token = tokens.get(next);
    if (token.type() != TokenType.EOF) {
      next++;
    }
    return token;
  }

  private boolean accept(TokenType type) {
    if (peek().type() == type) {
      advance();
      return true;
    }
    return false;
  }

  private Token expect(TokenType type, String context) {
    Token token = advance();
    if (token.type() != type) {
      throw unexpected(token, context, describe(type));
    }
    return token;
  }

  private PromqlException unexpected(Token token, String context, String expected) {
    String what = token.type() == TokenType.EOF ? "end of input" : describe(token.type()) + " \"" + token.text() + "\"";
    String message = "unexpected " + what + (context.isEmpty() ? "" : " in " + context) + (expected.isEmpty() ? "" : ", expected " + expected);
    return error(input, token.pos(), message);
  }

  private static String describe(TokenType type) {
    return switch (type) {
      case IDENTIFIER -> "identifier";
      case METRIC_IDENTIFIER -> "metric identifier";
      case NUMBER -> "number";
      case DURATION -> "duration";
      case STRING -> "string";
      case EOF -> "end of input";
      default -> type.text() != null ? "\"" + type.text() + "\"" : type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    };
  }

  /** A parse error at {@code pos} of the query, as Prometheus words them ({@code 1:5: parse error: ...}). */
  static PromqlException error(String input, int pos, String message) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(pos, input.length()); i++) {
      if (input.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new PromqlException(PromqlException.Kind.BAD_DATA, line + ":" + column + ": parse error: " + message);
  }
}
