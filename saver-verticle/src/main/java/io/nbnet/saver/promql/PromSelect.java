package io.nbnet.saver.promql;

import io.nbnet.promql.Labels;
import io.nbnet.promql.Matcher;
import io.nbnet.promql.PromqlException;
import io.nbnet.promql.Rollups;
import io.nbnet.promql.StoredSeries;
import io.nbnet.remotewrite.PromNaming;
import io.nbnet.saver.metrics.SaverMeters;
import io.nbnet.store.Head;
import io.nbnet.store.RetentionConfig;
import io.nbnet.store.Rollup;
import io.nbnet.store.SeriesRef;
import io.nbnet.store.StoreException;
import io.nbnet.store.StoreReader;
import io.nbnet.store.Tier;
import io.nbnet.store.TierSink;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One selector's series read from one store: candidates narrowed in SQL by an equality on {@code host}
 * and on the names the matchers of {@code __name__} allow (equal or by regular expression: found among the
 * dictionary's names, kept for ten seconds),
 * then every matcher applied to their Prometheus labels, then their samples read: the raw ones, or one
 * aspect of a tier's rollups (the {@link Rollups#ASPECT_LABEL} matcher of a rewritten query names it), a
 * point per bucket at its last millisecond, and the raw samples past the rollups as their own rollups.
 * Used on the saver's event loop only.
 */
public final class PromSelect {

  /** How long the dictionary's metric names are reused: a new metric is found within this. */
  private static final long NAMES_TTL_NANOS = 10_000_000_000L;

  /** The oldest time a selection reads when a tier is kept for ever: the JSON API's bound too. */
  private static final long MAX_SPAN_MILLIS = 800L * 86_400_000;
  private static final long DAY_MILLIS = 86_400_000;
  private static final long WINDOW_MILLIS = 300_000;
  /** Series times hours of raw samples one read of the store covers: 1,000 series an hour, one series a day. */
  private static final long SERIES_HOURS_PER_READ = 1_000;
  private static final int MAX_NAMES_IN_SQL = 1_000;
  /** Series of one selection read from the head on the event loop; more go to a worker thread. */
  private static final int INLINE_SERIES = 64;
  /** Selectors whose series found in the head are remembered (the rules' and dashboards'); past it they are forgotten. */
  private static final int MAX_HEAD_MATCHES = 2_000;
  /** Series those selectors matched, in all (about 60 bytes each): past it they are forgotten too. */
  private static final long MAX_HEAD_MATCH_REFS = 2_000_000;

  private final StoreReader store;
  private final Optional<Head> head;
  private final int maxSeries;
  private final RetentionConfig retention;
  private Map<String, List<String>> metricsByName = Map.of();
  private long namesReadAt = System.nanoTime() - 2 * NAMES_TTL_NANOS;
  private Future<Map<String, List<String>>> readingNames;
  /** Read and written by worker threads too. */
  private final Map<String, HeadMatch> headMatches = new ConcurrentHashMap<>();
  private final AtomicLong headMatchRefs = new AtomicLong();

  /**
   * @param head      the newest samples in the saver's memory: a raw read of what it covers needs no statement
   * @param maxSeries series one selector may match; more fail the query (422)
   * @param retention how long each tier keeps its data: nothing older is read
   */
  public PromSelect(StoreReader store, Optional<Head> head, int maxSeries, RetentionConfig retention) {
    this.store = store;
    this.head = head;
    this.maxSeries = maxSeries;
    this.retention = retention;
  }

  /** The series of the dictionary whose labels every matcher matches (no samples read). */
  public Future<List<Matched>> series(List<Matcher> matchers) {
    return series(matchers, store::findSeries);
  }

  /** Finds a selector's candidate series: in the dictionary, or among the head's. */
  private interface SeriesFinder {
    Future<List<SeriesRef>> find(Optional<String> host, List<String> metrics, int limit);
  }

  private Future<List<Matched>> series(List<Matcher> matchers, SeriesFinder finder) {
    return candidates(matchers, finder).map(refs -> matching(refs, matchers));
  }

  /** The series the finder gives for the selector's host and metric names, before the other matchers. */
  private Future<List<SeriesRef>> candidates(List<Matcher> matchers, SeriesFinder finder) {
    Optional<String> host = equality(matchers, PromNaming.HOST);
    List<Matcher> byName = matchers.stream().filter(m -> m.name().equals(Labels.METRIC_NAME)).toList();
    // the names any matcher on __name__ allows ({__name__=~"disk_.*_await_ms"} too), from the dictionary's: narrowed in SQL
    Future<List<String>> metrics = byName.isEmpty() ? Future.succeededFuture(List.of())
      : metricsByName().map(names -> names.entrySet().stream().filter(e -> byName.stream().allMatch(m -> m.matches(e.getKey())))
        .flatMap(e -> e.getValue().stream()).toList());
    return metrics.compose(candidates -> {
      if (!byName.isEmpty() && candidates.isEmpty()) {
        return Future.succeededFuture(List.<SeriesRef>of());
      }
      // past this many names an IN list costs more than it saves: the matchers sort the series out
      return finder.find(host, candidates.size() > MAX_NAMES_IN_SQL ? List.of() : candidates, maxSeries);
    }).recover(failure -> Future.failedFuture(failure instanceof StoreException limit && limit.kind() == StoreException.Kind.LIMIT
      ? new PromqlException(PromqlException.Kind.EXECUTION, limit.getMessage() + " (saver.http.maxSeries): narrow it")
      : failure));
  }

  /**
   * As {@link #matching}, remembered for the selector: the head gives the same refs while its series
   * stay the same, and rules ask the same selectors every round.
   */
  private List<Matched> matchingInHead(List<SeriesRef> refs, List<Matcher> matchers) {
    String key = matchers.toString();
    HeadMatch known = headMatches.get(key);
    if (known != null && known.refs().equals(refs)) {
      return known.matched();
    }
    List<Matched> matched = matching(refs, matchers);
    if (headMatches.size() >= MAX_HEAD_MATCHES || headMatchRefs.addAndGet(refs.size()) > MAX_HEAD_MATCH_REFS) {
      headMatches.clear();
      headMatchRefs.set(refs.size());
    }
    headMatches.put(key, new HeadMatch(refs, matched));
    return matched;
  }

  /** A selector's candidates among the head's series (the same objects while it holds them), and those it matched. */
  private record HeadMatch(List<SeriesRef> refs, List<Matched> matched) {
  }

  /** The candidates every matcher matches, with their labels, in label order. */
  private static List<Matched> matching(List<SeriesRef> refs, List<Matcher> matchers) {
    List<Matched> matched = new ArrayList<>();
    for (SeriesRef ref : refs) {
      Labels labels = ref.derived(series -> PromNames.labels(series.host(), series.metric(), series.tags()));
      if (matchers.stream().allMatch(matcher -> matcher.matches(labels))) {
        matched.add(new Matched(ref, labels));
      }
    }
    // Prometheus's storage gives series in label order: ties in topk, bottomk and sort come out alike
    matched.sort((a, b) -> a.labels().compareTo(b.labels()));
    return matched;
  }

  /**
   * The matched series with their samples in {@code [start, end]} (within {@code tier}'s retention) as
   * {@code tier} keeps them, read a stretch of time at a time so that memory holds one stretch beyond
   * what {@code budget} allows. A rollup tier is read for the aspect the matchers name. What the head
   * covers is read from it, on a worker thread unless it is a few series: the event loop takes frames.
   */
  public Future<List<StoredSeries>> select(List<Matcher> matchers, long start, long end, Tier tier, SampleBudget budget) {
    Rollups.Aspect aspect = null;
    List<Matcher> labelMatchers = matchers;
    if (tier != Tier.RAW) {
      aspect = matchers.stream().filter(m -> m.name().equals(Rollups.ASPECT_LABEL)).map(m -> Rollups.Aspect.of(m.value())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("a rollup selection names no aspect: " + matchers));
      labelMatchers = matchers.stream().filter(m -> !m.name().equals(Rollups.ASPECT_LABEL)).toList();
    }
    long now = System.currentTimeMillis();
    // a bucket that began before start still holds samples of the range: read from its start
    long from = Math.floorDiv(Math.max(start, now - retentionMillis(tier)), tier.resolutionMillis()) * tier.resolutionMillis();
    long to = Math.min(end, now + DAY_MILLIS);
    if (from > to) {
      return Future.succeededFuture(List.of());
    }
    List<Matcher> selector = labelMatchers;
    // the head holds every raw sample from where it covers on: neither the dictionary nor the samples are read from MySQL
    Optional<Head> inMemory = head.filter(h -> tier == Tier.RAW && h.covers(from));
    SaverMeters.promqlSelections(inMemory.isPresent() ? "head" : "mysql").increment();
    if (inMemory.isPresent()) {
      Head memory = inMemory.get();
      return candidates(selector, memory::findSeries).compose(refs -> {
        Callable<List<StoredSeries>> reading = () -> {
          List<StoredSeries> series = new ArrayList<>();
          for (Matched one : matchingInHead(refs, selector)) {
            Collector collector = new Collector(start, end);
            memory.read(one.ref(), from, to + 1, (ts, value) -> {
              budget.take(1);
              collector.add(ts, value);
            });
            if (collector.size > 0) {
              series.add(collector.of(one.labels()));
            }
          }
          return series;
        };
        Context context = Vertx.currentContext();
        if (context != null && refs.size() > INLINE_SERIES) {
          return context.executeBlocking(reading, false);
        }
        try {
          return Future.succeededFuture(reading.call());
        } catch (Exception e) {
          return Future.failedFuture(e);
        }
      });
    }
    Rollups.Aspect read = aspect;
    return series(selector, store::findSeries).compose(matched -> {
      if (matched.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      Collected collected = new Collected(matched, start, end, read, budget);
      List<SeriesRef> refs = collected.refs();
      Future<Void> reading = Future.succeededFuture();
      long stretch = stretchMillis(tier, refs.size());
      for (long stretchStart = from; stretchStart <= to; stretchStart += stretch) {
        long begin = stretchStart;
        long until = Math.min(to + 1, stretchStart + stretch);
        reading = reading.compose(v -> {
          budget.checkTime();
          return store.read(refs, tier, begin, until, collected);
        });
      }
      return reading.map(v -> collected.series());
    });
  }

  /** What a read hands over, kept per series: raw samples, or one aspect of a tier's rollups. */
  private static final class Collected implements TierSink {
    private final List<Matched> matched;
    private final Map<SeriesRef, Collector> collectors = new IdentityHashMap<>();
    private final Rollups.Aspect read;
    private final SampleBudget budget;

    /** @param read the aspect of a rollup tier; null for raw samples */
    Collected(List<Matched> matched, long start, long end, Rollups.Aspect read, SampleBudget budget) {
      this.matched = matched;
      this.read = read;
      this.budget = budget;
      matched.forEach(series -> collectors.put(series.ref(), new Collector(start, end)));
    }

    List<SeriesRef> refs() {
      return matched.stream().map(Matched::ref).toList();
    }

    @Override
    public void sample(SeriesRef series, long ts, double value) {
      budget.take(1);
      if (read == null) {
        collectors.get(series).add(ts, value);
      } else if (Double.isFinite(value)) {
        // a sample past the rollups stands for a bucket of its own; NaN, ±Inf and stale markers are in no rollup
        collectors.get(series).add(ts, read == Rollups.Aspect.COUNT ? 1 : value);
      }
    }

    @Override
    public void rollup(SeriesRef series, long bucketStart, long length, Rollup rollup) {
      budget.take(1);
      collectors.get(series).add(bucketStart + length - 1, switch (read) {
        case MIN -> rollup.min();
        case MAX -> rollup.max();
        case SUM -> rollup.sum();
        case COUNT -> rollup.count();
        case LAST -> rollup.last();
      });
    }

    /** The series with samples, in label order. */
    List<StoredSeries> series() {
      List<StoredSeries> series = new ArrayList<>(matched.size());
      for (Matched one : matched) {
        Collector collected = collectors.get(one.ref());
        if (collected.size > 0) {
          series.add(collected.of(one.labels()));
        }
      }
      return series;
    }
  }

  private long retentionMillis(Tier tier) {
    int days = switch (tier) {
      case RAW -> retention.rawDays();
      case FIVE_MINUTES -> retention.fiveMinuteDays();
      case HOUR -> retention.hourDays();
    };
    return days == 0 ? MAX_SPAN_MILLIS : days * DAY_MILLIS;
  }

  /**
   * How much time one read covers: about {@link #SERIES_HOURS_PER_READ} series-hours of raw samples (a
   * window at the least, a day at the most), so that what one read holds stays small whatever the
   * number of series, and a query of a few series is one read. A 5-minute rollup stands for 30 samples
   * of a 10 s collector, an hour for 360: their reads cover that much more time.
   */
  private static long stretchMillis(Tier tier, int series) {
    long raw = Math.max(WINDOW_MILLIS, Math.min(DAY_MILLIS, SERIES_HOURS_PER_READ * 3_600_000 / series / WINDOW_MILLIS * WINDOW_MILLIS));
    return switch (tier) {
      case RAW -> raw;
      case FIVE_MINUTES -> raw * 30;
      case HOUR -> raw * 360;
    };
  }

  /** The dictionary's metrics by their Prometheus name, read again when older than {@link #NAMES_TTL_NANOS}. */
  private Future<Map<String, List<String>>> metricsByName() {
    if (System.nanoTime() - namesReadAt < NAMES_TTL_NANOS) {
      return Future.succeededFuture(metricsByName);
    }
    if (readingNames == null) {
      Future<Map<String, List<String>>> reading = store.metricNames().map(names -> {
        Map<String, List<String>> byName = new HashMap<>();
        names.forEach(metric -> byName.computeIfAbsent(PromNaming.metric(metric), n -> new ArrayList<>()).add(metric));
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

  /** One series' samples in {@code [start, end]} as the store hands them, in time order. */
  private static final class Collector {
    final long start;
    final long end;
    long[] times = new long[16];
    double[] values = new double[16];
    int size;

    Collector(long start, long end) {
      this.start = start;
      this.end = end;
    }

    StoredSeries of(Labels labels) {
      return new StoredSeries(labels, Arrays.copyOf(times, size), Arrays.copyOf(values, size));
    }

    void add(long ts, double value) {
      if (ts < start || ts > end) {
        return;
      }
      if (size == times.length) {
        times = Arrays.copyOf(times, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      times[size] = ts;
      values[size++] = value;
    }
  }
}
