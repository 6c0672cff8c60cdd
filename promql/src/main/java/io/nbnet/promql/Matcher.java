package io.nbnet.promql;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * One label matcher of a selector: {@code =}, {@code !=}, {@code =~}, {@code !~}. Regular expressions
 * are RE2 (linear time, whatever the pattern), fully anchored as Prometheus anchors them.
 */
public final class Matcher {

  public enum Type {
    EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

    private final String symbol;

    Type(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  private final Type type;
  private final String name;
  private final String value;
  private final Pattern pattern;

  public Matcher(Type type, String name, String value) {
    this.type = type;
    this.name = name;
    this.value = value;
    this.pattern = type == Type.REGEX || type == Type.NOT_REGEX ? compile(value) : null;
  }

  /** {@code value} as Prometheus compiles a matcher's or label_replace's expression: {@code ^(?:value)$}. */
  public static Pattern compile(String value) {
    try {
      return Pattern.compile("^(?:" + value + ")$");
    } catch (PatternSyntaxException e) {
      throw new PromqlException(PromqlException.Kind.BAD_DATA, "invalid regular expression " + Strings.quote(value) + ": " + e.getDescription());
    }
  }

  public Type type() {
    return type;
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  public boolean matches(String labelValue) {
    return switch (type) {
      case EQUAL -> labelValue.equals(value);
      case NOT_EQUAL -> !labelValue.equals(value);
      case REGEX -> pattern.matches(labelValue);
      case NOT_REGEX -> !pattern.matches(labelValue);
    };
  }

  public boolean matches(Labels labels) {
    return matches(labels.get(name));
  }

  @Override
  public String toString() {
    return name + type.symbol + Strings.quote(value);
  }
}
