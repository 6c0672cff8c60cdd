package io.nbnet.saver.promql;

import io.nbnet.promql.Labels;
import io.nbnet.promql.Matcher;
import io.nbnet.promql.PromqlException;
import io.nbnet.promql.StoredSeries;
import io.nbnet.store.Rollup;
import io.nbnet.store.SeriesRef;
import io.nbnet.store.StoreException;
import io.nbnet.store.StoreReader;
import io.nbnet.store.Tier;
import io.nbnet.store.TierSink;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One selector's series read from one store: candidates narrowed in SQL by an equality on {@code host}
 * and on the name (whose nbnet metrics are found among the dictionary's names, kept for ten seconds),
 * then every matcher applied to their Prometheus labels, then their raw samples read. Used on the
 * saver's event loop only.
 */
public final class PromSelect {

  /** How long the dictionary's metric names are reused: a new metric is found within this. */
  private static final long NAMES_TTL_NANOS = 10_000_000_000L;

  /** The oldest time a selection reads when the raw tier is kept for ever: the JSON API's bound too. */
  private static final long MAX_SPAN_MILLIS = 800L * 86_400_000;
  private static final long DAY_MILLIS = 86_400_000;

  private final StoreReader store;
  private final int maxSeries;
  private final long rawRetentionMillis;
  private Map<String, List<String>> metricsByName = Map.of();
  private long namesReadAt = System.nanoTime() - 2 * NAMES_TTL_NANOS;
  private Future<Map<String, List<String>>> readingNames;

  /**
   * @param maxSeries      series one selector may match; more fail the query (422)
   * @param rawRetentionDays how long the raw tier keeps samples (0: for ever): nothing older is read
   */
  public PromSelect(StoreReader store, int maxSeries, int rawRetentionDays) {
    this.store = store;
    this.maxSeries = maxSeries;
    this.rawRetentionMillis = rawRetentionDays == 0 ? MAX_SPAN_MILLIS : rawRetentionDays * DAY_MILLIS;
  }

  /** The series of the dictionary whose labels every matcher matches (no samples read). */
  public Future<List<Matched>> series(List<Matcher> matchers) {
    Optional<String> host = equality(matchers, PromNames.HOST);
    Optional<String> name = equality(matchers, Labels.METRIC_NAME);
    Future<List<String>> metrics = name.isEmpty() ? Future.succeededFuture(List.of())
      : metricsByName().map(byName -> byName.getOrDefault(name.get(), List.of()));
    return metrics.compose(candidates -> {
      if (name.isPresent() && candidates.isEmpty()) {
        return Future.succeededFuture(List.<SeriesRef>of());
      }
      return store.findSeries(host, candidates, maxSeries);
    }).recover(failure -> Future.failedFuture(failure instanceof StoreException limit && limit.kind() == StoreException.Kind.LIMIT
      ? new PromqlException(PromqlException.Kind.EXECUTION, limit.getMessage() + " (saver.http.maxSeries): narrow it")
      : failure)).map(refs -> {
        List<Matched> matched = new ArrayList<>();
        for (SeriesRef ref : refs) {
          Labels labels = PromNames.labels(ref.host(), ref.metric(), ref.tags());
          if (matchers.stream().allMatch(matcher -> matcher.matches(labels))) {
            matched.add(new Matched(ref, labels));
          }
        }
        // Prometheus's storage gives series in label order: ties in topk, bottomk and sort come out alike
        matched.sort((a, b) -> a.labels().compareTo(b.labels()));
        return matched;
      });
  }

  /**
   * The matched series with their raw samples in {@code [start, end]} (within the raw tier's retention),
   * read a stretch of time at a time so that memory holds one stretch beyond what {@code budget} allows.
   */
  public Future<List<StoredSeries>> select(List<Matcher> matchers, long start, long end, SampleBudget budget) {
    long now = System.currentTimeMillis();
    long from = Math.max(start, now - rawRetentionMillis);
    long to = Math.min(end, now + DAY_MILLIS);
    return series(matchers).compose(matched -> {
      if (matched.isEmpty() || from > to) {
        return Future.succeededFuture(List.of());
      }
      Map<SeriesRef, Collector> collectors = new IdentityHashMap<>();
      List<SeriesRef> refs = new ArrayList<>(matched.size());
      for (Matched series : matched) {
        collectors.put(series.ref(), new Collector());
        refs.add(series.ref());
      }
      TierSink sink = new TierSink() {
        @Override
        public void sample(SeriesRef series, long ts, double value) {
          budget.take(1);
          collectors.get(series).add(ts, value);
        }

        @Override
        public void rollup(SeriesRef series, long bucketStart, long length, Rollup rollup) {
          // only the raw tier is read
        }
      };
      // many series: a window at a time, so one stretch of a big host stays small
      long stretch = refs.size() > 1_000 ? 300_000 : 3_600_000;
      Future<Void> read = Future.succeededFuture();
      for (long stretchStart = from; stretchStart <= to; stretchStart += stretch) {
        long begin = stretchStart;
        long until = Math.min(to + 1, stretchStart + stretch);
        read = read.compose(v -> {
          budget.checkTime();
          return store.read(refs, Tier.RAW, begin, until, sink);
        });
      }
      return read.map(v -> {
        List<StoredSeries> series = new ArrayList<>(matched.size());
        for (Matched one : matched) {
          Collector collected = collectors.get(one.ref());
          if (collected.size > 0) {
            series.add(new StoredSeries(one.labels(), Arrays.copyOf(collected.times, collected.size),
              Arrays.copyOf(collected.values, collected.size)));
          }
        }
        return series;
      });
    });
  }

  /** The dictionary's metrics by their Prometheus name, read again when older than {@link #NAMES_TTL_NANOS}. */
  private Future<Map<String, List<String>>> metricsByName() {
    if (System.nanoTime() - namesReadAt < NAMES_TTL_NANOS) {
      return Future.succeededFuture(metricsByName);
    }
    if (readingNames == null) {
      Future<Map<String, List<String>>> reading = store.metricNames().map(names -> {
        Map<String, List<String>> byName = new HashMap<>();
        names.forEach(metric -> byName.computeIfAbsent(PromNames.metric(metric), n -> new ArrayList<>()).add(metric));
        metricsByName = byName;
        namesReadAt = System.nanoTime();
        return byName;
      });
      readingNames = reading;
      reading.onComplete(done -> {
        if (readingNames == reading) {
          readingNames = null;
        }
      });
    }
    return readingNames;
  }

  private static Optional<String> equality(List<Matcher> matchers, String label) {
    return matchers.stream().filter(m -> m.name().equals(label) && m.type() == Matcher.Type.EQUAL).map(Matcher::value).findFirst();
  }

  /** A series of the dictionary and its Prometheus labels. */
  public record Matched(SeriesRef ref, Labels labels) {
  }

  /** One series' samples as the store hands them, in time order. */
  private static final class Collector {
    long[] times = new long[16];
    double[] values = new double[16];
    int size;

    void add(long ts, double value) {
      if (size == times.length) {
        times = Arrays.copyOf(times, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      times[size] = ts;
      values[size++] = value;
    }
  }
}
