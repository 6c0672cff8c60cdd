package io.nbnet.promql.parser;

import io.nbnet.promql.PromqlException;

import java.util.List;

/** The type checks of Prometheus's parser ({@code checkAST}), run once on the whole tree. */
final class Checker {

  ValueType check(Ast.Expr node) {
    if (node instanceof Ast.AggregateExpr aggregate) {
      expect(aggregate.expr, ValueType.VECTOR, "aggregation expression");
      if (aggregate.op == TokenType.TOPK || aggregate.op == TokenType.BOTTOMK || aggregate.op == TokenType.QUANTILE) {
        expect(aggregate.param, ValueType.SCALAR, "aggregation parameter");
      }
      if (aggregate.op == TokenType.COUNT_VALUES) {
        expect(aggregate.param, ValueType.STRING, "aggregation parameter");
      }
    } else if (node instanceof Ast.BinaryExpr binary) {
      checkBinary(binary);
    } else if (node instanceof Ast.Call call) {
      checkCall(call);
    } else if (node instanceof Ast.ParenExpr paren) {
      check(paren.expr);
    } else if (node instanceof Ast.UnaryExpr unary) {
      ValueType type = check(unary.expr);
      if (type != ValueType.SCALAR && type != ValueType.VECTOR) {
        throw fail("unary expression only allowed on expressions of type scalar or instant vector, got \"" + type.documented() + "\"");
      }
    } else if (node instanceof Ast.SubqueryExpr subquery) {
      ValueType type = check(subquery.expr);
      if (type != ValueType.VECTOR) {
        throw fail("subquery is only allowed on instant vector, got " + type.documented() + " instead");
      }
    } else if (node instanceof Ast.MatrixSelector matrix) {
      check(matrix.selector);
    }
    return node.type();
  }

  private void checkBinary(Ast.BinaryExpr binary) {
    ValueType left = check(binary.lhs);
    ValueType right = check(binary.rhs);
    TokenType op = binary.op;
    if (binary.returnBool && !op.isComparison()) {
      throw fail("bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && !binary.returnBool && left == ValueType.SCALAR && right == ValueType.SCALAR) {
      throw fail("comparisons between scalars must use BOOL modifier");
    }
    Ast.VectorMatching matching = binary.matching;
    if (op.isSetOperator() && matching.card == Ast.Cardinality.ONE_TO_ONE) {
      matching.card = Ast.Cardinality.MANY_TO_MANY;
    }
    for (String label : matching.matchingLabels) {
      if (matching.on && matching.include.contains(label)) {
        throw fail("label \"" + label + "\" must not occur in ON and GROUP clause at once");
      }
    }
    if (left != ValueType.SCALAR && left != ValueType.VECTOR || right != ValueType.SCALAR && right != ValueType.VECTOR) {
      throw fail("binary expression must contain only scalar and instant vector types");
    }
    if (left != ValueType.VECTOR || right != ValueType.VECTOR) {
      if (!matching.matchingLabels.isEmpty()) {
        throw fail("vector matching only allowed between instant vectors");
      }
      binary.matching = null;
    } else if (op.isSetOperator()) {
      if (matching.card == Ast.Cardinality.ONE_TO_MANY || matching.card == Ast.Cardinality.MANY_TO_ONE) {
        throw fail("no grouping allowed for \"" + op.text() + "\" operation");
      }
    }
    if ((left == ValueType.SCALAR || right == ValueType.SCALAR) && op.isSetOperator()) {
      throw fail("set operator \"" + op.text() + "\" not allowed in binary scalar expression");
    }
  }

  private void checkCall(Ast.Call call) {
    Function function = call.function;
    List<ValueType> types = function.argTypes();
    int given = call.args.size();
    String name = "\"" + function.name() + "\"";
    if (function.variadic() == 0) {
      if (types.size() != given) {
        throw fail("expected " + types.size() + " argument(s) in call to " + name + ", got " + given);
      }
    } else {
      int required = types.size() - 1;
      if (required > given) {
        throw fail("expected at least " + required + " argument(s) in call to " + name + ", got " + given);
      }
      if (function.variadic() > 0 && required + function.variadic() < given) {
        throw fail("expected at most " + (required + function.variadic()) + " argument(s) in call to " + name + ", got " + given);
      }
    }
    for (int i = 0; i < given; i++) {
      int typeIndex = Math.min(i, types.size() - 1);
      if (typeIndex < 0) {
        break;
      }
      expect(call.args.get(i), types.get(typeIndex), "call to function " + name);
    }
  }

  private void expect(Ast.Expr expr, ValueType wanted, String context) {
    ValueType type = check(expr);
    if (type != wanted) {
      throw fail("expected type " + wanted.documented() + " in " + context + ", got " + type.documented());
    }
  }

  private PromqlException fail(String message) {
    return new PromqlException(PromqlException.Kind.BAD_DATA, "parse error: " + message);
  }
}
