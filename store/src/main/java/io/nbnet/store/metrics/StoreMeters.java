package io.nbnet.store.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.support.metrics.NbnetMeters;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A store's meters, tagged with its name ({@code storage}: {@code mysql}, or a Kafka shard's
 * {@code shard-NAME}). The names keep their {@code nbnet.saver} prefix: dashboards and alerts know them
 * by it.
 */
public final class StoreMeters {

  private static final String ROWS = "nbnet.saver.rows";

  private final String storage;
  private final List<Meter> registered = new ArrayList<>();
  public final Counter stagedRows;
  public final Counter conflicts;
  public final Timer flushLatency;
  public final Counter flushFailures;
  public final Counter windowsCompacted;
  public final Counter samplesCompacted;
  public final Counter compactionConflicts;
  public final Counter droppedOld;
  public final Timer compactionDuration;

  public StoreMeters(String storage, StorageLayout layout) {
    this.storage = storage;
    stagedRows = rows(layout.recent());
    conflicts = keep(NbnetMeters.counter("nbnet.saver.conflicts",
      "samples whose key was stored already with another value (the stored one is kept)", "storage", storage));
    flushLatency = keep(NbnetMeters.timer("nbnet.saver.batch.latency", "time to commit one flush of a table", "storage", storage,
      "table", layout.recent()));
    flushFailures = keep(NbnetMeters.counter("nbnet.saver.batch.failures", "flushes that failed after their retries", "storage", storage,
      "table", layout.recent()));
    windowsCompacted = keep(NbnetMeters.counter("nbnet.saver.compaction.windows", "staging partitions compacted"));
    samplesCompacted = keep(NbnetMeters.counter("nbnet.saver.compaction.samples", "samples compacted into raw blocks"));
    compactionConflicts = keep(NbnetMeters.counter("nbnet.saver.compaction.conflicts",
      "late samples whose key a raw block held already with another value (the stored one is kept)"));
    droppedOld = keep(NbnetMeters.counter("nbnet.saver.compaction.dropped.old", "samples older than the raw tier's retention, dropped"));
    compactionDuration = keep(NbnetMeters.timer("nbnet.saver.compaction.duration", "time to compact one staging partition"));
  }

  /** Rows inserted into {@code table} of this store. */
  public Counter rows(String table) {
    return NbnetMeters.counter(ROWS, "rows inserted", "storage", storage, "table", table);
  }

  public void seriesCached(Supplier<Number> count) {
    keep(NbnetMeters.gauge("nbnet.saver.series.cached", "series ids held in memory", count, "storage", storage));
  }

  public void compactionLag(Supplier<Number> seconds) {
    keep(NbnetMeters.gauge("nbnet.saver.compaction.lag.seconds", "how far the newest compacted window lags behind the fleet's sample times",
      seconds));
  }

  public void compactionLeader(Supplier<Number> leading) {
    keep(NbnetMeters.gauge("nbnet.saver.compaction.leader", "1 when this saver is the one compacting", leading));
  }

  /** The head's gauges: series and samples it holds, its bytes, and how far back from now it answers queries. */
  public void head(Supplier<Number> series, Supplier<Number> samples, Supplier<Number> bytes, Supplier<Number> coveredSeconds) {
    keep(NbnetMeters.gauge("nbnet.saver.head.series", "series the head holds samples of", series, "storage", storage));
    keep(NbnetMeters.gauge("nbnet.saver.head.samples", "samples the head holds", samples, "storage", storage));
    keep(NbnetMeters.gauge("nbnet.saver.head.bytes", "the head's memory, estimated", bytes, "storage", storage));
    keep(NbnetMeters.gauge("nbnet.saver.head.covered.seconds",
      "how far back from now the head answers queries (0: every query reads MySQL)", coveredSeconds, "storage", storage));
  }

  /** Takes the store's gauges off the registry: they would hold the stopped store (counters and timers stay, as totals). */
  public void close() {
    registered.stream().filter(Gauge.class::isInstance).forEach(NbnetMeters.registry()::remove);
  }

  private <M extends Meter> M keep(M meter) {
    registered.add(meter);
    return meter;
  }
}
