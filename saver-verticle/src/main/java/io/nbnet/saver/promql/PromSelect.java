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

  private final StoreReader store;
  private final int maxSeries;
  private Map<String, List<String>> metricsByName = Map.of();
  private long namesReadAt = System.nanoTime() - 2 * NAMES_TTL_NANOS;
  private Future<Map<String, List<String>>> readingNames;

  /** @param maxSeries series one selector may match; more fail the query (422) */
  public PromSelect(StoreReader store, int maxSeries) {
    this.store = store;
    this.maxSeries = maxSeries;
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

  /** The matched series with their raw samples in {@code [start, end]}; counts them against {@code budget}. */
  public Future<List<StoredSeries>> select(List<Matcher> matchers, long start, long end, SampleBudget budget) {
    return series(matchers).compose(matched -> {
      if (matched.isEmpty()) {
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
      return store.read(refs, Tier.RAW, start, end + 1, sink).map(v -> {
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
      readingNames = store.metricNames().map(names -> {
        Map<String, List<String>> byName = new HashMap<>();
        names.forEach(metric -> byName.computeIfAbsent(PromNames.metric(metric), n -> new ArrayList<>()).add(metric));
        metricsByName = byName;
        namesReadAt = System.nanoTime();
        return byName;
      }).onComplete(done -> readingNames = null);
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
