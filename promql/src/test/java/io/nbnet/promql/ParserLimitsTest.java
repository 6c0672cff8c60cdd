package io.nbnet.promql;

import io.nbnet.promql.testing.MemorySource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A hostile query is refused with a clear error, never a thread's stack overflowing. */
class ParserLimitsTest {

  private static final Engine ENGINE = new Engine(Engine.DEFAULT_LOOKBACK_MILLIS, 10_000, 60_000);

  @Test
  void deeplyNestedQueriesAreRefused() {
    for (String query : new String[] {"(".repeat(200_000) + "1" + ")".repeat(200_000), "-".repeat(200_000) + "1",
      "abs(".repeat(100_000) + "up" + ")".repeat(100_000), "1" + " + (1".repeat(100_000) + ")".repeat(100_000)}) {
      PromqlException refused = assertThrows(PromqlException.class, () -> ENGINE.instant(new MemorySource(), query, 0, 10_000));
      assertEquals(PromqlException.Kind.BAD_DATA, refused.kind());
      assertTrue(refused.getMessage().contains("nests more than 500 levels"), refused.getMessage());
    }
  }

  @Test
  void nestingWithinTheLimitIsEvaluated() {
    QueryResult result = ENGINE.instant(new MemorySource(), "(".repeat(400) + "1" + ")".repeat(400), 0, 10_000);
    assertEquals(1, ((QueryResult.Scalar) result).value());
  }
}
