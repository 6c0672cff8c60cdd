package io.nbnet.rules;

import io.nbnet.promql.Engine;
import io.nbnet.promql.Labels;
import io.nbnet.promql.PromqlException;
import io.nbnet.promql.QueryResult;
import io.nbnet.promql.SeriesSource;

import java.util.List;

/** How a rule asks for its expression's value at a time: an instant vector (a scalar becomes one sample without labels). */
@FunctionalInterface
public interface RuleQuery {

  List<QueryResult.Sample> at(String expr, long timeMillis);

  /** Prometheus's {@code EngineQueryFunc}: the engine over a source; a string or matrix result is an error. */
  static RuleQuery of(Engine engine, SeriesSource source, long timeoutMillis) {
    return (expr, time) -> {
      QueryResult result = engine.instant(source, expr, time, timeoutMillis);
      if (result instanceof QueryResult.Vector vector) {
        return vector.samples();
      }
      if (result instanceof QueryResult.Scalar scalar) {
        return List.of(new QueryResult.Sample(Labels.EMPTY, scalar.time(), scalar.value()));
      }
      throw new PromqlException(PromqlException.Kind.EXECUTION, "rule result is not a vector or scalar");
    };
  }
}
