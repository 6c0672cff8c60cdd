package io.nbnet.store.compaction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.nbnet.store.CompactionConfig;
import io.nbnet.store.RetentionConfig;
import io.nbnet.store.metrics.StoreMeters;
import io.nbnet.store.mysql.LeaderLock;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.tables.Windows;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Turns closed windows of the staging ring into raw blocks and rollups. One saver does it at a time,
 * the {@link LeaderLock} holder; when it dies, another takes over within a check interval.
 * <p>
 * A window is closed once the fleet's sample times have moved {@code graceMillis} past its end: the
 * watermark is the tenth percentile of the newest sample times of the hosts heard in the last ten
 * minutes (so a few hosts with clocks ahead close nothing early), and never later than the saver's
 * clock; with no host heard lately, or when it has not moved for {@code quietMillis}, it is the clock. Every check, each ring partition that holds rows
 * and does not belong to a window still open is swapped out and compacted, oldest window first; late
 * samples that landed in an earlier window's partition are merged into its blocks then. Once every
 * window of an hour is closed, the hour is rolled up into the hour tier.
 */
public final class Compactor {

  private static final Logger log = Logger.getLogger(Compactor.class.getName());
  private static final long RECENT_HOSTS_MILLIS = 600_000;
  /** Windows this far past the watermark still count as open: hosts a little ahead of the fleet are still writing there. */
  private static final long OPEN_AHEAD_MILLIS = 600_000;
  /** At stop, how long the round in flight may still run before the lock is given back anyway. */
  private static final long ROUND_END_WAIT_MILLIS = 10_000;

  private final Vertx vertx;
  private final Pool pool;
  private final StorageLayout layout;
  private final CompactionConfig config;
  private final RetentionConfig retention;
  private final WorkerExecutor cpu;
  private final SeriesDays seriesDays;
  private final HourRollups hours;
  private final Counter windowsCompacted;
  private final Counter samplesCompacted;
  private final Counter conflicts;
  private final Counter droppedOld;
  private final Timer duration;
  private volatile long compactedUpTo;
  private volatile long watermark;
  /** Hours before this one are in the hour tier; unknown (-1) until read from it. */
  private long closedHoursBefore = -1;
  private long fleetMark;
  private long fleetMarkMovedAt = System.currentTimeMillis();
  private final LeaderLock leader;
  private long timer = -1;
  private boolean running;
  /** The round in flight, or the last one. */
  private Future<Void> round = Future.succeededFuture();
  private boolean stopped;

  /** @param responseTimeoutMillis how long the check of a held compactor lock waits for MySQL ({@link LeaderLock}) */
  public Compactor(Vertx vertx, Pool pool, StorageLayout layout, CompactionConfig config, RetentionConfig retention, long responseTimeoutMillis,
                   StoreMeters meters) {
    this.vertx = vertx;
    this.pool = pool;
    this.layout = layout;
    this.config = config;
    this.retention = retention;
    this.cpu = vertx.createSharedWorkerExecutor("nbnet-compaction", 1);
    this.leader = new LeaderLock(pool, "compactor", "compacts the staging windows", responseTimeoutMillis);
    this.seriesDays = new SeriesDays(layout);
    this.hours = new HourRollups(pool, layout);
    this.windowsCompacted = meters.windowsCompacted;
    this.samplesCompacted = meters.samplesCompacted;
    this.conflicts = meters.compactionConflicts;
    this.droppedOld = meters.droppedOld;
    this.duration = meters.compactionDuration;
    meters.compactionLag(() -> compactedUpTo == 0 || watermark == 0 ? 0 : Math.max(0, watermark - compactedUpTo) / 1000.0);
    meters.compactionLeader(() -> leader.held() ? 1 : 0);
  }

  public void start() {
    timer = vertx.setPeriodic(1, config.checkMillis(), id -> check());
  }

  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    // the lock goes only once the round in flight has ended (or after a while): released under a running
    // round, it would let another saver compact the same partitions beside it
    return round.otherwiseEmpty().timeout(ROUND_END_WAIT_MILLIS, TimeUnit.MILLISECONDS)
      .eventually(leader::release)
      .eventually(() -> cpu.close());
  }

  /** One round: become the leader if nobody is, then compact every closed partition that holds rows. */
  public Future<Void> check() {
    if (running || stopped) {
      return Future.succeededFuture();
    }
    running = true;
    round = leader.lead()
      .compose(leading -> leading ? compactClosed() : Future.succeededFuture())
      .onFailure(failure -> log.warning("compaction failed, trying again in " + config.checkMillis() + " ms: " + failure.getMessage()))
      .eventually(() -> {
        running = false;
        return Future.succeededFuture();
      })
      .mapEmpty();
    return round;
  }

  private Future<Void> compactClosed() {
    long now = System.currentTimeMillis();
    return closedHoursBefore()
      .compose(v -> recoverInterrupted(now))
      .compose(v -> watermark(now))
      .compose(mark -> {
        watermark = mark;
        long closable = mark - config.graceMillis();
        return partitionsToCompact(closable, mark)
          .compose(this::compactInOrder)
          .compose(v -> closeHours(Windows.hourOf(Windows.windowOf(closable))));
      });
  }

  /** Where the hour tier ends: its newest hour is rolled up again, in case a saver stopped in the middle of it. */
  private Future<Void> closedHoursBefore() {
    if (closedHoursBefore >= 0) {
      return Future.succeededFuture();
    }
    return pool.query(CompactionSql.newestHourRolledUp(layout)).execute().map(rows -> {
      Long newest = rows.iterator().next().getLong(0);
      closedHoursBefore = newest == null ? 0 : newest;
      return null;
    });
  }

  /** Rolls up the hours of the 5-minute tier that closed since the last check. */
  private Future<Void> closeHours(long end) {
    if (end <= closedHoursBefore || stopped) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(CompactionSql.selectHours(layout)).execute(Tuple.of(closedHoursBefore, end)).compose(rows -> {
      Future<Void> chain = Future.succeededFuture();
      for (Row row : rows) {
        long hour = row.getLong(0);
        chain = chain.compose(v -> hours.rollUp(hour));
      }
      return chain.onSuccess(v -> closedHoursBefore = end);
    });
  }

  /** A saver that died in the middle of a compaction left rows in the compacting table: finish them first. */
  private Future<Void> recoverInterrupted(long now) {
    return pool.query(CompactionSql.anyRowCompacting(layout)).execute().compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture();
      }
      log.info("finishing a compaction an earlier run left unfinished");
      return compactSwapped();
    });
  }

  private Future<Long> watermark(long now) {
    return pool.preparedQuery(CompactionSql.recentHosts(layout)).execute(Tuple.of(now - RECENT_HOSTS_MILLIS)).map(rows -> {
      List<Long> times = new ArrayList<>(rows.size());
      rows.forEach(row -> times.add(row.getLong(0)));
      if (times.isEmpty()) {
        return now;
      }
      long mark = times.get(times.size() / 10);
      if (mark > fleetMark) {
        fleetMark = mark;
        fleetMarkMovedAt = now;
      }
      return now - fleetMarkMovedAt >= config.quietMillis() ? now : Math.min(now, mark);
    });
  }

  /** The ring partitions that hold rows, with the newest closed window each may hold, oldest first. */
  private Future<List<long[]>> partitionsToCompact(long closable, long mark) {
    Set<Integer> open = new HashSet<>();
    for (long window = Windows.windowOf(closable); window <= Windows.windowOf(mark + OPEN_AHEAD_MILLIS); window += Windows.WINDOW_MILLIS) {
      open.add(Windows.slot(window));
      if (open.size() == Windows.RING_SLOTS) {
        break;
      }
    }
    long newestClosed = Windows.windowOf(closable) - Windows.WINDOW_MILLIS;
    List<long[]> candidates = new ArrayList<>();
    for (int back = 0; back < Windows.RING_SLOTS; back++) {
      long window = newestClosed - back * Windows.WINDOW_MILLIS;
      if (!open.contains(Windows.slot(window))) {
        candidates.add(new long[] {Windows.slot(window), window});
      }
    }
    candidates.sort(Comparator.comparingLong(candidate -> candidate[1]));
    List<long[]> withRows = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (long[] candidate : candidates) {
      chain = chain.compose(v -> pool.query(CompactionSql.anyRowInSlot(layout, (int) candidate[0])).execute().map(rows -> {
        if (rows.size() > 0) {
          withRows.add(candidate);
        }
        return null;
      }));
    }
    return chain.map(v -> withRows);
  }

  private Future<Void> compactInOrder(List<long[]> slots) {
    Future<Void> chain = Future.succeededFuture();
    for (long[] slot : slots) {
      chain = chain.compose(v -> stopped ? Future.succeededFuture() : compactSlot((int) slot[0]))
        .onSuccess(v -> compactedUpTo = Math.max(compactedUpTo, slot[1] + Windows.WINDOW_MILLIS));
    }
    return chain;
  }

  private Future<Void> compactSlot(int slot) {
    return pool.query(CompactionSql.exchange(layout, slot)).execute()
      .compose(v -> compactSwapped())
      .onSuccess(v -> windowsCompacted.increment());
  }

  /** Compacts the compacting table and empties it. */
  private Future<Void> compactSwapped() {
    long start = System.nanoTime();
    long rawCutoff = retention.rawDays() == 0 ? Long.MIN_VALUE : System.currentTimeMillis() - retention.rawDays() * Windows.DAY_MILLIS;
    return new SwapCompaction(pool, layout, cpu, seriesDays, hours,
        new SwapCompaction.Scope(layout.compacting(), rawCutoff, false, closedHoursBefore)).run()
      .map(result -> {
        samplesCompacted.increment(result.samples());
        conflicts.increment(result.conflicts());
        droppedOld.increment(result.droppedOld());
        if (result.conflicts() > 0) {
          log.warning(result.conflicts() + " late samples came with another value than the one a raw block holds for their key;"
            + " the stored values are kept");
        }
        return null;
      })
      .compose(v -> pool.query(CompactionSql.truncateCompacting(layout)).execute())
      .onSuccess(v -> duration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS))
      .mapEmpty();
  }
}
