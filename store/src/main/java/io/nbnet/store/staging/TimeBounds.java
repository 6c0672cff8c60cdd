package io.nbnet.store.staging;

import io.micrometer.core.instrument.Counter;
import io.nbnet.formats.Sample;
import io.nbnet.store.StoreException;
import io.nbnet.support.logging.OncePerInterval;
import io.nbnet.support.metrics.NbnetMeters;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The sample times a store takes: none older than its raw tier keeps (compaction would drop it) nor
 * further ahead of the saver's clock than {@code saver.limits.maxFutureMs}: a time in the wrong unit,
 * or from a clock years off, is refused rather than stored in 1970 or next year. A write holding one is
 * refused whole, naming the first, counted in {@code nbnet_saver_limit_refusals_total{limit="out_of_bounds"}}
 * and logged at most once a minute.
 */
final class TimeBounds {

  private static final Logger log = Logger.getLogger(TimeBounds.class.getName());
  private static final long DAY_MILLIS = 86_400_000;

  private final int rawDays;
  private final long maxFutureMillis;
  private final Counter refused = NbnetMeters.counter("nbnet.saver.limit.refusals", "writes refused whole because they would pass a limit",
    "limit", "out_of_bounds");
  private final OncePerInterval logged = new OncePerInterval(60_000);

  /** @param rawDays days the raw tier keeps (0: for ever, no lower bound) */
  TimeBounds(int rawDays, long maxFutureMillis) {
    this.rawDays = rawDays;
    this.maxFutureMillis = maxFutureMillis;
  }

  /** Empty when every sample's time is taken; else the refusal, counted and logged. */
  Optional<StoreException> check(List<Sample> samples, long nowMillis) {
    long oldest = rawDays == 0 ? Long.MIN_VALUE : nowMillis - rawDays * DAY_MILLIS;
    long newest = nowMillis + maxFutureMillis;
    int outside = 0;
    Sample first = null;
    for (Sample sample : samples) {
      if (sample.timestampMillis() < oldest || sample.timestampMillis() > newest) {
        outside++;
        first = first == null ? sample : first;
      }
    }
    if (outside == 0) {
      return Optional.empty();
    }
    String message = outside + " samples lie outside the times this saver takes (" + (rawDays == 0 ? "" : "older than saver.retention.rawDays ("
      + rawDays + "), or ") + "more than saver.limits.maxFutureMs (" + maxFutureMillis + ") ahead of its clock): the first of host "
      + first.host() + " at " + Instant.ofEpochMilli(first.timestampMillis()) + "; is the sender's clock or time unit right?";
    refused.increment();
    logged.count().ifPresent(since -> log.warning("refused a write: " + message
      + (since > 1 ? " (" + (since - 1) + " more such refusals since the last report)" : "")));
    return Optional.of(StoreException.limit(message));
  }
}
