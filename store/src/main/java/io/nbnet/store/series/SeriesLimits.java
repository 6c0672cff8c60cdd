package io.nbnet.store.series;

import io.micrometer.core.instrument.Counter;
import io.nbnet.store.LimitsConfig;
import io.nbnet.store.StoreException;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.support.logging.OncePerInterval;
import io.nbnet.support.metrics.NbnetMeters;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The {@link LimitsConfig} on new series: a host's series, a host's new series within the current
 * minute, and the dictionary's series. The dictionary is counted at the first check and again every
 * ten minutes (retention removes series), and what is admitted in between is added. A refusal is
 * counted ({@code nbnet_saver_limit_refusals_total{limit}}) and logged with the host at most once a
 * minute per limit. Used on the saver's event loop only.
 */
final class SeriesLimits {

  private static final Logger log = Logger.getLogger(SeriesLimits.class.getName());
  private static final long MINUTE_MILLIS = 60_000;
  private static final long RECOUNT_MILLIS = 600_000;

  private final Pool pool;
  private final StorageLayout layout;
  private final LimitsConfig limits;
  private final LongSupplier clock;
  private final Map<String, Refusals> refusals = new HashMap<>();
  /** Series added per host id within {@link #minute}. */
  private final Map<Integer, Integer> addedThisMinute = new HashMap<>();
  private long minute;
  private long dictionarySeries;
  private long countedAt;
  private Future<Void> counting;
  private boolean counted;

  /** @param clock the time in milliseconds (tests turn it) */
  SeriesLimits(Pool pool, StorageLayout layout, LimitsConfig limits, LongSupplier clock) {
    this.pool = pool;
    this.layout = layout;
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * Succeeds, counting them, when {@code fresh} new series fit the limits for a host holding
   * {@code known}; fails with a {@link StoreException.Kind#LIMIT} naming the limit otherwise. The
   * success is how to give the count back, should the write not happen after all.
   */
  Future<Runnable> admit(String host, int hostId, int known, int fresh) {
    long now = clock.getAsLong();
    if (known + (long) fresh > limits.maxSeriesPerHost()) {
      return refuse("maxSeriesPerHost", fresh, "host " + host + " has " + known + " series and this would add " + fresh
        + ": past saver.limits.maxSeriesPerHost (" + limits.maxSeriesPerHost() + ")");
    }
    if (now / MINUTE_MILLIS != minute) {
      minute = now / MINUTE_MILLIS;
      addedThisMinute.clear();
    }
    int added = addedThisMinute.getOrDefault(hostId, 0);
    if (added + (long) fresh > limits.maxNewSeriesPerHostPerMinute()) {
      return refuse("maxNewSeriesPerHostPerMinute", fresh, "host " + host + " added " + added + " series this minute and this would add "
        + fresh + ": past saver.limits.maxNewSeriesPerHostPerMinute (" + limits.maxNewSeriesPerHostPerMinute() + ")");
    }
    return dictionary(now).compose(v -> {
      if (dictionarySeries + fresh > limits.maxSeries()) {
        return refuse("maxSeries", fresh, "the saver holds " + dictionarySeries + " series and host " + host + " would add " + fresh
          + ": past saver.limits.maxSeries (" + limits.maxSeries() + ")");
      }
      dictionarySeries += fresh;
      addedThisMinute.merge(hostId, fresh, Integer::sum);
      long admittedMinute = minute;
      return Future.succeededFuture(() -> {
        dictionarySeries -= fresh;
        if (minute == admittedMinute) {
          addedThisMinute.computeIfPresent(hostId, (id, count) -> count - fresh <= 0 ? null : count - fresh);
        }
      });
    });
  }

  /** The dictionary's count: waited for the first time, then read again every ten minutes while the last one is used. */
  private Future<Void> dictionary(long now) {
    if (counting == null || counting.failed() || counting.isComplete() && now - countedAt >= RECOUNT_MILLIS) {
      countedAt = now;
      counting = pool.query(SeriesSql.countSeries(layout)).execute().map(rows -> {
        dictionarySeries = rows.iterator().next().getLong(0);
        counted = true;
        return null;
      });
    }
    return counted ? Future.succeededFuture() : counting;
  }

  private Future<Runnable> refuse(String limit, int fresh, String message) {
    refusals.computeIfAbsent(limit, Refusals::new).add(fresh, message);
    return Future.failedFuture(StoreException.limit(message));
  }

  /** One limit's refusals: counted, logged at most once a minute. */
  private static final class Refusals {
    final Counter counter;
    final OncePerInterval logged = new OncePerInterval(MINUTE_MILLIS);

    Refusals(String limit) {
      counter = NbnetMeters.counter("nbnet.saver.limit.refusals", "writes refused whole because they would pass a limit",
        "limit", limit);
    }

    void add(int fresh, String message) {
      counter.increment();
      logged.count().ifPresent(since -> log.warning("refused a write with " + fresh + " new series: " + message
        + (since > 1 ? " (" + (since - 1) + " more refusals of this limit since the last report)" : "")));
    }
  }
}
