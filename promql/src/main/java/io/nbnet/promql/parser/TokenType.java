package io.nbnet.promql.parser;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The lexer's tokens: what PromQL's grammar is made of. */
public enum TokenType {
  EOF, IDENTIFIER, METRIC_IDENTIFIER, NUMBER, DURATION, STRING,
  LEFT_PAREN, RIGHT_PAREN, LEFT_BRACE, RIGHT_BRACE, LEFT_BRACKET, RIGHT_BRACKET, COMMA, COLON, AT, EQL,
  // operators
  ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"), POW("^"), ATAN2("atan2"), EQLC("=="), NEQ("!="), LTE("<="), LSS("<"), GTE(">="),
  GTR(">"), EQL_REGEX("=~"), NEQ_REGEX("!~"), LAND("and"), LOR("or"), LUNLESS("unless"),
  // aggregators
  AVG("avg"), BOTTOMK("bottomk"), COUNT("count"), COUNT_VALUES("count_values"), GROUP("group"), MAX("max"), MIN("min"),
  QUANTILE("quantile"), STDDEV("stddev"), STDVAR("stdvar"), SUM("sum"), TOPK("topk"),
  // keywords
  BOOL("bool"), BY("by"), GROUP_LEFT("group_left"), GROUP_RIGHT("group_right"), IGNORING("ignoring"), OFFSET("offset"), ON("on"),
  WITHOUT("without"), START("start"), END("end");

  private static final Map<String, TokenType> KEYWORDS = new TreeMap<>();

  static {
    for (TokenType type : values()) {
      if (type.text != null && Character.isLetter(type.text.charAt(0))) {
        KEYWORDS.put(type.text, type);
      }
    }
  }

  private final String text;

  TokenType() {
    this(null);
  }

  TokenType(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  /** The keyword a word is, whatever its case ({@code SUM}, {@code By}); null for other words. */
  static TokenType keyword(String word) {
    String lower = word.toLowerCase(Locale.ROOT);
    if (lower.equals("inf") || lower.equals("nan")) {
      return NUMBER;
    }
    return KEYWORDS.get(lower);
  }

  public boolean isOperator() {
    return ordinal() >= ADD.ordinal() && ordinal() <= LUNLESS.ordinal();
  }

  public boolean isAggregator() {
    return ordinal() >= AVG.ordinal() && ordinal() <= TOPK.ordinal();
  }

  public boolean isAggregatorWithParam() {
    return this == TOPK || this == BOTTOMK || this == COUNT_VALUES || this == QUANTILE;
  }

  public boolean isComparison() {
    return this == EQLC || this == NEQ || this == LTE || this == LSS || this == GTE || this == GTR;
  }

  public boolean isSetOperator() {
    return this == LAND || this == LOR || this == LUNLESS;
  }

  /** A word the grammar takes as a metric name at the start of a selector. */
  boolean isMetricIdentifier() {
    return this == IDENTIFIER || this == METRIC_IDENTIFIER || isAggregator() || this == BY || this == WITHOUT || this == LAND
      || this == LOR || this == LUNLESS || this == OFFSET || this == START || this == END;
  }

  /** A word the grammar takes as a label name in grouping labels ({@code maybe_label}). */
  boolean isLabelWord() {
    return this == IDENTIFIER || this == METRIC_IDENTIFIER || isAggregator() || this == BOOL || this == BY || this == GROUP_LEFT
      || this == GROUP_RIGHT || this == IGNORING || this == LAND || this == LOR || this == LUNLESS || this == OFFSET || this == ON
      || this == START || this == END || this == ATAN2 || this == WITHOUT;
  }
}
