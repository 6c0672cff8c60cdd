package io.nbnet.store;

import io.nbnet.store.head.XorChunk;
import io.nbnet.store.staging.IngestObserver;
import io.nbnet.store.staging.StagedPart;
import io.nbnet.store.tables.Point;
import io.nbnet.store.tables.StagedValues;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The newest raw samples the store committed, in memory too (Prometheus's head block): a read of a
 * range the head covers needs no statement. It covers a range when it holds every sample the database
 * holds there, which it knows from:
 * <ul>
 *   <li>what it was told (samples go in once their rows are committed, in any order, the first value of a
 *   key kept as the store keeps it; text samples, which no query reads, stay out; those of a write whose
 *   outcome is unknown too: their sender sends them until they are committed);</li>
 *   <li>where it starts: past the newest sample the database held when it started;</li>
 *   <li>what it cannot know: another saver writing to the same database ({@link #distrustUntil}) moves
 *   its start past what that one may write;</li>
 *   <li>what it let go: samples older than its span, or than its memory allows.</li>
 * </ul>
 * Written on the store's event loop; read from any thread.
 */
public final class Head implements IngestObserver {

  private static final Logger log = Logger.getLogger(Head.class.getName());
  private static final long TRIM_STEP_MILLIS = 60_000;

  private final HeadConfig config;
  private final LongSupplier clock;
  private final Map<Integer, HeadSeries> bySeries = new ConcurrentHashMap<>();
  private final Map<String, Set<HeadSeries>> byHost = new ConcurrentHashMap<>();
  private final Map<String, Set<HeadSeries>> byMetric = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong samples = new AtomicLong();
  /** Where what the database held before the head began ends; none before {@link #start}. */
  private volatile long startedAfter = Long.MAX_VALUE;
  private volatile boolean started;
  /** What the head cannot vouch for ends here (writes of unknown outcome, other savers). */
  private volatile long distrustedUntil = Long.MIN_VALUE;
  /** Samples before this were let go, or never taken. */
  private volatile long keptFrom = Long.MIN_VALUE;
  private long loggedDistrustAt = Long.MIN_VALUE / 2;

  public Head(HeadConfig config, LongSupplier clock) {
    this.config = config;
    this.clock = clock;
  }

  /**
   * The head covers what the database holds past {@code newestStored} (the newest sample time it held
   * before this head's first write; {@link Long#MIN_VALUE} for none).
   */
  public void start(long newestStored) {
    startedAfter = newestStored == Long.MIN_VALUE ? Long.MIN_VALUE : newestStored + 1;
    started = true;
    log.info("the saver's head answers queries of samples from " + java.time.Instant.ofEpochMilli(coveredFrom()) + " on");
  }

  /** Samples up to {@code until} may be in the database and not here ({@code why}: for the log, at most once a minute). */
  public void distrustUntil(long until, String why) {
    if (until <= distrustedUntil) {
      return;
    }
    distrustedUntil = until;
    long now = clock.getAsLong();
    if (now - loggedDistrustAt >= 60_000) {
      loggedDistrustAt = now;
      log.info("the saver's head answers no query of samples before " + java.time.Instant.ofEpochMilli(until + 1) + ": " + why);
    }
  }

  /** The first time from which the head holds every sample the database holds; {@link Long#MAX_VALUE} when none. */
  public long coveredFrom() {
    return Math.max(startedAfter, Math.max(distrustedUntil + (distrustedUntil == Long.MIN_VALUE ? 0 : 1), keptFrom));
  }

  public boolean started() {
    return started;
  }

  /** How far back from now the head answers, in seconds; 0 while it answers nothing. */
  public double coveredSeconds() {
    long from = coveredFrom();
    long now = clock.getAsLong();
    return from >= now ? 0 : (now - Math.max(from, now - config.spanMillis())) / 1000.0;
  }

  /** True when the head holds every sample the database holds from {@code from} on. */
  public boolean covers(long from) {
    return from >= coveredFrom();
  }

  @Override
  public synchronized void committed(StagedPart part) {
    long floor = keptFrom;
    for (int row = 0; row < part.size(); row++) {
      long ts = part.ts(row);
      if (ts < floor) {
        continue;
      }
      double value;
      String text = part.text(row);
      if (text == null) {
        // + 0.0: a DOUBLE column keeps no negative zero
        value = part.value(row) + 0.0;
      } else {
        // read back as the database gives it: NaN, ±Inf and stale markers by name; text samples no query reads
        Point point = StagedValues.point(ts, null, text);
        if (point.isText()) {
          continue;
        }
        value = point.value();
      }
      HeadSeries series = bySeries.get(part.series(row));
      if (series == null) {
        series = new HeadSeries(new SeriesRef(part.hostId(), part.series(row), part.host(), part.metric(row), part.tags(row)));
        bySeries.put(series.ref.seriesId, series);
        byHost.computeIfAbsent(part.host(), h -> ConcurrentHashMap.newKeySet()).add(series);
        byMetric.computeIfAbsent(part.metric(row), m -> ConcurrentHashMap.newKeySet()).add(series);
        bytes.addAndGet(series.bytes());
      }
      int before = series.size();
      bytes.addAndGet(series.add(ts, value));
      samples.addAndGet(series.size() - before);
    }
  }

  /**
   * A write that failed without a word on its rows (they may be committed) is taken as committed: its
   * sender, told to try again, sends them until they are (frames are kept until answered OK), so the
   * database holds them soon if it does not yet. Refused data was not committed.
   */
  @Override
  public void failed(StagedPart part, StoreException why) {
    if (why.kind() == StoreException.Kind.UNAVAILABLE) {
      committed(part);
    }
  }

  /**
   * Lets go of samples older than the span, and of the oldest ones while the head holds more than its
   * bytes allow (it then covers less time). Called on the store's event loop every few seconds.
   */
  public synchronized void trim() {
    long now = clock.getAsLong();
    long cut = Math.max(keptFrom, now - config.spanMillis());
    long held = bytes.get();
    if (held > config.maxBytes() && now > cut) {
      // the samples spread evenly over the covered time: keep the newest nine tenths of what fits
      double keep = 0.9 * config.maxBytes() / held;
      cut = Math.max(cut, now - (long) ((now - cut) * keep));
    }
    if (keptFrom != Long.MIN_VALUE && cut - keptFrom < TRIM_STEP_MILLIS && held <= config.maxBytes()) {
      return; // a pass over every series costs: the span's edge moves a minute at a time
    }
    keptFrom = cut;
    for (HeadSeries series : bySeries.values()) {
      int before = series.size();
      bytes.addAndGet(-series.dropBefore(cut));
      samples.addAndGet(series.size() - before);
      if (series.isEmpty()) {
        bySeries.remove(series.ref.seriesId);
        byHost.get(series.ref.host()).remove(series);
        byMetric.get(series.ref.metric()).remove(series);
        bytes.addAndGet(-series.bytes());
      }
    }
    byHost.values().removeIf(Set::isEmpty);
    byMetric.values().removeIf(Set::isEmpty);
  }

  /**
   * As {@link StoreReader#findSeries}, among the series the head holds samples of: the series of
   * {@code host} (or of every host) with one of {@code metrics} (or any metric), at most {@code limit}.
   */
  public Future<List<SeriesRef>> findSeries(Optional<String> host, List<String> metrics, int limit) {
    Collection<HeadSeries> candidates;
    if (host.isPresent()) {
      candidates = byHost.getOrDefault(host.get(), Set.of());
    } else if (metrics.isEmpty()) {
      candidates = bySeries.values();
    } else {
      candidates = new ArrayList<>();
      for (String metric : metrics) {
        candidates.addAll(byMetric.getOrDefault(metric, Set.of()));
      }
    }
    Set<String> wanted = host.isPresent() && !metrics.isEmpty() ? Set.copyOf(metrics) : null;
    List<SeriesRef> found = new ArrayList<>();
    for (HeadSeries series : candidates) {
      if (wanted == null || wanted.contains(series.ref.metric())) {
        if (found.size() == limit) {
          return Future.failedFuture(new StoreException(StoreException.Kind.LIMIT, "the selector matches more than " + limit + " series",
            null));
        }
        found.add(series.ref);
      }
    }
    return Future.succeededFuture(found);
  }

  /** Hands {@code out} the samples of {@code series} from {@code from} to before {@code to}: call only when it {@link #covers} {@code from}. */
  public void read(SeriesRef series, long from, long to, XorChunk.Samples out) {
    HeadSeries held = bySeries.get(series.seriesId);
    if (held != null) {
      held.read(from, to, out);
    }
  }

  public int seriesCount() {
    return bySeries.size();
  }

  public long sampleCount() {
    return samples.get();
  }

  public long bytes() {
    return bytes.get();
  }
}
