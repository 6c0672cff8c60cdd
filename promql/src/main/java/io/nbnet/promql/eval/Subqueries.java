package io.nbnet.promql.eval;

import io.nbnet.promql.Matcher;
import io.nbnet.promql.StoredSeries;
import io.nbnet.promql.parser.Ast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A subquery given to a range function: evaluated first, then read like a range selector over its result. */
final class Subqueries {

  private Subqueries() {
  }

  static Ast.MatrixSelector asMatrixSelector(Evaluator ev, Ast.SubqueryExpr subquery) {
    List<Series> result = ev.matrix(subquery);
    Ast.VectorSelector selector = new Ast.VectorSelector("", List.<Matcher>of());
    selector.originalOffset = subquery.originalOffset;
    selector.offset = subquery.offset;
    selector.timestamp = subquery.timestamp;
    if (subquery.timestamp != null) {
      // the subquery's own offset is not adjusted for @: its result is read at the time @ names
      selector.offset = subquery.originalOffset + (ev.start - subquery.timestamp);
    }
    List<StoredSeries> series = new ArrayList<>(result.size());
    for (Series computed : result) {
      series.add(new StoredSeries(computed.metric, Arrays.copyOfRange(computed.times, computed.from, computed.to),
        Arrays.copyOfRange(computed.values, computed.from, computed.to)));
    }
    ev.context.put(selector, series);
    return new Ast.MatrixSelector(selector, subquery.range);
  }
}
