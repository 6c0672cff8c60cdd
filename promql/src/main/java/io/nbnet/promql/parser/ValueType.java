package io.nbnet.promql.parser;

/** What an expression evaluates to. */
public enum ValueType {
  NONE("none"), SCALAR("scalar"), VECTOR("instant vector"), MATRIX("range vector"), STRING("string");

  private final String documented;

  ValueType(String documented) {
    this.documented = documented;
  }

  /** The name Prometheus's messages use. */
  public String documented() {
    return documented;
  }
}
