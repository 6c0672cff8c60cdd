package io.nbnet.saver.query;

import io.nbnet.store.RetentionConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parameters of /api/query: what a careless or hostile client sends is refused before anything is loaded. */
class QueryRequestTest {

  private static final long NOW = 1_800_000_000_000L;
  private static final RetentionConfig RETENTION = new RetentionConfig(14, 90, 730, 3, 3_600_000);

  @ParameterizedTest(name = "from={0} to={1}")
  @DisplayName("times outside 0 .. the end of 9999 are refused, so the range check cannot overflow")
  @CsvSource({
    "-1, 9223372036854775807",
    "-9223372036854775808, now",
    "0, 9223372036854775807",
    "now-999999999d, now",
    "253402300800000, 253402300800001",
  })
  void refusesTimesOutOfRange(String from, String to) {
    BadQueryException refused = assertThrows(BadQueryException.class, () -> parse(from, to, null));
    assertTrue(refused.getMessage().contains("epoch milliseconds"), refused.getMessage());
  }

  @Test
  @DisplayName("a range longer than 800 days, or one that ends before it starts, is refused")
  void refusesLongAndBackwardRanges() {
    assertThrows(BadQueryException.class, () -> parse("0", String.valueOf(801 * 86_400_000L), null));
    assertThrows(BadQueryException.class, () -> parse("now", "now-1h", null));
  }

  @Test
  @DisplayName("the widest range allowed still plans at most MAX_POINTS buckets per series, at any step asked")
  void widestRangeIsBounded() {
    QueryRequest widest = parse("now-800d", "now", "1ms");
    assertTrue(widest.bucketsPerSeries() <= QueryRequest.MAX_POINTS, widest.bucketsPerSeries() + " buckets");
    QueryRequest hugeStep = parse("now-1h", "now", "999999999d");
    assertEquals(1, hugeStep.bucketsPerSeries());
  }

  private static QueryRequest parse(String from, String to, String step) {
    return QueryRequest.parse("web-1", List.of("cpu.user"), null, from, to, step, NOW, RETENTION);
  }
}
