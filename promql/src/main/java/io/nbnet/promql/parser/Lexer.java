package io.nbnet.promql.parser;

import io.nbnet.promql.PromqlException;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PromQL query into tokens as Prometheus 2.42's lexer does: keywords in any case, a number
 * followed by unit letters is a duration, label names inside braces are plain identifiers, and a
 * duration must open a bracket.
 */
final class Lexer {

  private final String input;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;
  private int parenDepth;
  private boolean braceOpen;
  private boolean bracketOpen;
  private boolean gotColon;

  private Lexer(String input) {
    this.input = input;
  }

  static List<Token> tokens(String input) {
    Lexer lexer = new Lexer(input);
    lexer.run();
    return lexer.tokens;
  }

  private void run() {
    while (true) {
      if (pos >= input.length()) {
        if (braceOpen) {
          throw error("unexpected end of input inside braces");
        }
        if (parenDepth != 0) {
          throw error("unclosed left parenthesis");
        }
        if (bracketOpen) {
          throw error("unclosed left bracket");
        }
        tokens.add(new Token(TokenType.EOF, "", pos));
        return;
      }
      char c = input.charAt(pos);
      if (c == '#') {
        while (pos < input.length() && input.charAt(pos) != '\n' && input.charAt(pos) != '\r') {
          pos++;
        }
      } else if (isSpace(c)) {
        pos++;
      } else if (braceOpen) {
        insideBraces(c);
      } else {
        statement(c);
      }
    }
  }

  private void statement(char c) {
    int start = pos;
    switch (c) {
      case ',' -> emit(TokenType.COMMA, start, ++pos);
      case '*' -> emit(TokenType.MUL, start, ++pos);
      case '/' -> emit(TokenType.DIV, start, ++pos);
      case '%' -> emit(TokenType.MOD, start, ++pos);
      case '+' -> emit(TokenType.ADD, start, ++pos);
      case '-' -> emit(TokenType.SUB, start, ++pos);
      case '^' -> emit(TokenType.POW, start, ++pos);
      case '@' -> emit(TokenType.AT, start, ++pos);
      case '=' -> {
        char next = peek(1);
        if (next == '=') {
          emit(TokenType.EQLC, start, pos += 2);
        } else if (next == '~') {
          throw error("unexpected character after '=': '~'");
        } else {
          emit(TokenType.EQL, start, ++pos);
        }
      }
      case '!' -> {
        if (peek(1) != '=') {
          throw error("unexpected character after '!': " + quoteChar(peek(1)));
        }
        emit(TokenType.NEQ, start, pos += 2);
      }
      case '<' -> emit(peek(1) == '=' ? TokenType.LTE : TokenType.LSS, start, pos += peek(1) == '=' ? 2 : 1);
      case '>' -> emit(peek(1) == '=' ? TokenType.GTE : TokenType.GTR, start, pos += peek(1) == '=' ? 2 : 1);
      case '"', '\'' -> string(c);
      case '`' -> rawString();
      case '(' -> {
        emit(TokenType.LEFT_PAREN, start, ++pos);
        parenDepth++;
      }
      case ')' -> {
        emit(TokenType.RIGHT_PAREN, start, ++pos);
        if (--parenDepth < 0) {
          throw error("unexpected right parenthesis ')'");
        }
      }
      case '{' -> {
        emit(TokenType.LEFT_BRACE, start, ++pos);
        braceOpen = true;
      }
      case '[' -> {
        if (bracketOpen) {
          throw error("unexpected left bracket '['");
        }
        gotColon = false;
        emit(TokenType.LEFT_BRACKET, start, ++pos);
        while (pos < input.length() && isSpace(input.charAt(pos))) {
          pos++;
        }
        bracketOpen = true;
        duration();
      }
      case ']' -> {
        if (!bracketOpen) {
          throw error("unexpected right bracket ']'");
        }
        emit(TokenType.RIGHT_BRACKET, start, ++pos);
        bracketOpen = false;
      }
      default -> {
        if (isDigit(c) || c == '.' && isDigit(peek(1))) {
          numberOrDuration();
        } else if (c == ':' && bracketOpen) {
          if (gotColon) {
            throw error("unexpected colon ':'");
          }
          emit(TokenType.COLON, start, ++pos);
          gotColon = true;
        } else if (isAlpha(c) || c == ':') {
          keywordOrIdentifier();
        } else {
          throw error("unexpected character: " + quoteChar(c));
        }
      }
    }
  }

  private void insideBraces(char c) {
    int start = pos;
    if (isAlpha(c)) {
      while (pos < input.length() && isAlphaNumeric(input.charAt(pos))) {
        pos++;
      }
      emit(TokenType.IDENTIFIER, start, pos);
      return;
    }
    switch (c) {
      case ',' -> emit(TokenType.COMMA, start, ++pos);
      case '"', '\'' -> string(c);
      case '`' -> rawString();
      case '=' -> {
        if (peek(1) == '~') {
          emit(TokenType.EQL_REGEX, start, pos += 2);
        } else {
          emit(TokenType.EQL, start, ++pos);
        }
      }
      case '!' -> {
        char next = peek(1);
        if (next == '~') {
          emit(TokenType.NEQ_REGEX, start, pos += 2);
        } else if (next == '=') {
          emit(TokenType.NEQ, start, pos += 2);
        } else {
          throw error("unexpected character after '!' inside braces: " + quoteChar(next));
        }
      }
      case '{' -> throw error("unexpected left brace '{'");
      case '}' -> {
        emit(TokenType.RIGHT_BRACE, start, ++pos);
        braceOpen = false;
      }
      default -> throw error("unexpected character inside braces: " + quoteChar(c));
    }
  }

  private void string(char quote) {
    int start = pos++;
    while (true) {
      if (pos >= input.length() || input.charAt(pos) == '\n') {
        throw error("unterminated quoted string");
      }
      char c = input.charAt(pos++);
      if (c == '\\') {
        if (pos >= input.length()) {
          throw error("escape sequence not terminated");
        }
        pos++;
      } else if (c == quote) {
        break;
      }
    }
    emit(TokenType.STRING, start, pos);
  }

  private void rawString() {
    int start = pos++;
    int end = input.indexOf('`', pos);
    if (end < 0) {
      throw error("unterminated raw string");
    }
    pos = end + 1;
    emit(TokenType.STRING, start, pos);
  }

  private void keywordOrIdentifier() {
    int start = pos;
    while (pos < input.length() && (isAlphaNumeric(input.charAt(pos)) || input.charAt(pos) == ':')) {
      pos++;
    }
    String word = input.substring(start, pos);
    TokenType keyword = TokenType.keyword(word);
    if (keyword != null) {
      emit(keyword, start, pos);
    } else {
      emit(word.contains(":") ? TokenType.METRIC_IDENTIFIER : TokenType.IDENTIFIER, start, pos);
    }
  }

  private void numberOrDuration() {
    int start = pos;
    if (scanNumber()) {
      emit(TokenType.NUMBER, start, pos);
      return;
    }
    if (remainingDuration()) {
      emit(TokenType.DURATION, start, pos);
      return;
    }
    throw error("bad number or duration syntax: \"" + input.substring(start, Math.min(input.length(), pos + 1)) + "\"");
  }

  /** A duration right after {@code [}. */
  private void duration() {
    int start = pos;
    if (scanNumber()) {
      throw error("missing unit character in duration");
    }
    if (!remainingDuration()) {
      throw error("bad duration syntax: \"" + input.substring(start, Math.min(input.length(), pos + 1)) + "\"");
    }
    emit(TokenType.DURATION, start, pos);
  }

  /** Consumes a number; true when what follows cannot continue it (so it is a number, not a duration). */
  private boolean scanNumber() {
    String digits = "0123456789";
    if (peek(0) == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
      pos += 2;
      digits = "0123456789abcdefABCDEF";
    }
    acceptRun(digits);
    if (accept(".")) {
      acceptRun(digits);
    }
    if (accept("eE")) {
      accept("+-");
      acceptRun("0123456789");
    }
    return !isAlphaNumeric(peek(0));
  }

  private boolean remainingDuration() {
    if (!accept("smhdwy")) {
      return false;
    }
    accept("s");
    while (accept("0123456789")) {
      acceptRun("0123456789");
      if (!accept("smhdw")) {
        return false;
      }
      accept("s");
    }
    return !isAlphaNumeric(peek(0));
  }

  private boolean accept(String valid) {
    if (pos < input.length() && valid.indexOf(input.charAt(pos)) >= 0) {
      pos++;
      return true;
    }
    return false;
  }

  private void acceptRun(String valid) {
    while (accept(valid)) {
      // consumed
    }
  }

  private char peek(int ahead) {
    return pos + ahead < input.length() ? input.charAt(pos + ahead) : '\0';
  }

  private void emit(TokenType type, int start, int end) {
    tokens.add(new Token(type, input.substring(start, end), start));
  }

  private PromqlException error(String message) {
    return Parser.error(input, pos, message);
  }

  private static String quoteChar(char c) {
    return c == '\0' ? "end of input" : "'" + c + "'";
  }

  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAlpha(char c) {
    return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  static boolean isAlphaNumeric(char c) {
    return isAlpha(c) || isDigit(c);
  }
}
