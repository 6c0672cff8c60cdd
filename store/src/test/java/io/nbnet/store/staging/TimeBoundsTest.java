package io.nbnet.store.staging;

import io.nbnet.formats.Sample;
import io.nbnet.store.StoreException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which sample times a store takes: within the raw tier's days behind, and maxFutureMs ahead. */
class TimeBoundsTest {

  private static final long NOW = 1_765_000_000_000L;

  @Test
  @DisplayName("a time older than the raw tier keeps, or too far ahead, refuses the write naming the first; one inside does not")
  void boundsAreTheRawTierAndMaxFuture() {
    TimeBounds bounds = new TimeBounds(14, 600_000);
    assertTrue(bounds.check(List.of(sample(NOW - 13L * 86_400_000), sample(NOW + 600_000)), NOW).isEmpty());
    StoreException old = bounds.check(List.of(sample(NOW), sample(1_796_000), sample(NOW - 15L * 86_400_000)), NOW).orElseThrow();
    assertEquals(StoreException.Kind.LIMIT, old.kind());
    assertTrue(old.getMessage().startsWith("2 samples lie outside the times this saver takes (older than saver.retention.rawDays (14), or more"
      + " than saver.limits.maxFutureMs (600000) ahead of its clock): the first of host h at 1970-01-01T00:29:56Z"), old.getMessage());
    assertTrue(bounds.check(List.of(sample(NOW + 600_001)), NOW).isPresent());
    assertTrue(new TimeBounds(0, 600_000).check(List.of(sample(0)), NOW).isEmpty(), "a raw tier kept for ever takes any past time");
  }

  private static Sample sample(long ts) {
    return Sample.numeric("h", ts, "m", "", 1);
  }
}
