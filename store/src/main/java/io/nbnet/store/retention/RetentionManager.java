package io.nbnet.store.retention;

import io.nbnet.store.RetentionConfig;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.tables.Windows;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Keeps each tier within its retention without a DELETE scan: the partitions of the coming periods
 * are created ahead (split off the empty catch-all), and whole periods older than the tier's
 * retention are dropped. Raw blocks and 5-minute rollups are cut by day, 1-hour rollups by month.
 * Then the rows that only served dropped data leave: windows no tier holds, and series and hosts of
 * the dictionary with no data in any tier. Runs at start and then on a schedule.
 */
public final class RetentionManager {

  private static final Logger log = Logger.getLogger(RetentionManager.class.getName());

  /** A partitioned table of a tier and how long it keeps data (0: for ever). */
  record Tier(String table, Partitions partitions, int days) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final StorageLayout layout;
  private final RetentionConfig config;
  private final Clock clock;
  private final List<Tier> tiers;
  private final Set<String> reportedUnpartitioned = new HashSet<>();
  private long timer = -1;
  /** The round in progress, or the last one. */
  private Future<Void> round = Future.succeededFuture();

  public RetentionManager(Vertx vertx, Pool pool, StorageLayout layout, RetentionConfig config, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.layout = layout;
    this.config = config;
    this.clock = clock;
    this.tiers = List.of(
      new Tier(layout.raw(), Partitions.DAY, config.rawDays()),
      new Tier(layout.rawTimes(), Partitions.DAY, config.rawDays()),
      new Tier(layout.rollup5m(), Partitions.DAY, config.fiveMinuteDays()),
      new Tier(layout.rollup1h(), Partitions.MONTH, config.hourDays()));
  }

  public void start() {
    log.info("retention: " + config.describe());
    if (config.longestDays() == 0) {
      log.warning("a tier keeps its data for ever: its disk use grows without bound (set saver.retention.rawDays, fiveMinuteDays, hourDays)");
    }
    timer = vertx.setPeriodic(1, config.checkMillis(), id -> maintain()
      .onFailure(failure -> log.warning("partition maintenance failed, trying again in " + config.checkMillis() + " ms: "
        + failure.getMessage())));
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One round over every tier, then the dictionary; while a round runs, that round (two would reorganise the same partitions). */
  public Future<Void> maintain() {
    if (!round.isComplete()) {
      return round;
    }
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    Future<Void> chain = Future.succeededFuture();
    for (Tier tier : tiers) {
      chain = chain.compose(v -> maintain(tier, today));
    }
    round = chain.compose(v -> forgetWhatNoTierHolds(today));
    return round;
  }

  private Future<Void> maintain(Tier tier, LocalDate today) {
    return periods(tier).compose(periods -> {
      if (periods.isEmpty()) {
        if (reportedUnpartitioned.add(tier.table())) {
          log.warning("table " + tier.table() + " has no time partitions: retention cannot drop its old rows");
        }
        return Future.succeededFuture();
      }
      return createAhead(tier, periods.get(), today).compose(v -> dropExpired(tier, periods.get(), today));
    });
  }

  /** The periods the table has partitions for, in order; empty when it is not partitioned by time. */
  private Future<Optional<List<LocalDate>>> periods(Tier tier) {
    return pool.preparedQuery("SELECT PARTITION_NAME FROM information_schema.PARTITIONS"
        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY PARTITION_ORDINAL_POSITION")
      .execute(Tuple.of(tier.table()))
      .map(rows -> {
        List<LocalDate> periods = new ArrayList<>();
        boolean catchAll = false;
        for (Row row : rows) {
          String name = row.getString(0);
          if (name != null) {
            tier.partitions().periodOf(name).ifPresent(periods::add);
          }
          catchAll |= Partitions.CATCH_ALL.equals(name);
        }
        return catchAll ? Optional.of(periods) : Optional.empty();
      });
  }

  private Future<Void> createAhead(Tier tier, List<LocalDate> periods, LocalDate today) {
    Partitions cut = tier.partitions();
    LocalDate wanted = cut.start(cut == Partitions.DAY ? today.plusDays(config.partitionsAhead()) : today.plusMonths(1));
    LocalDate first = periods.isEmpty() ? cut.start(today) : cut.next(periods.get(periods.size() - 1));
    if (first.isAfter(wanted)) {
      return Future.succeededFuture();
    }
    String sql = "ALTER TABLE `" + tier.table() + "` REORGANIZE PARTITION " + Partitions.CATCH_ALL + " INTO ("
      + String.join(", ", cut.definitions(first, wanted)) + ")";
    return pool.query(sql).execute()
      .onSuccess(v -> log.info(tier.table() + ": partitions ready up to " + cut.name(wanted)))
      .mapEmpty();
  }

  private Future<Void> dropExpired(Tier tier, List<LocalDate> periods, LocalDate today) {
    if (tier.days() == 0) {
      return Future.succeededFuture();
    }
    LocalDate oldestKept = today.minusDays(tier.days() - 1L);
    List<String> expired = new ArrayList<>();
    for (LocalDate period : periods) {
      // a period leaves once its last day is older than the oldest day kept
      if (tier.partitions().next(period).isBefore(oldestKept) || tier.partitions().next(period).isEqual(oldestKept)) {
        expired.add(tier.partitions().name(period));
      }
    }
    if (expired.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.query("ALTER TABLE `" + tier.table() + "` DROP PARTITION " + String.join(", ", expired)).execute()
      .onSuccess(v -> log.info(tier.table() + ": dropped partitions " + expired + " (retention " + tier.days() + " days)"))
      .mapEmpty();
  }

  /**
   * Windows older than the raw and 5-minute tiers' reach serve nothing; series (and hosts) whose
   * newest data is older than every tier's reach leave the dictionary.
   */
  private Future<Void> forgetWhatNoTierHolds(LocalDate today) {
    long now = today.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    Future<Void> windows = config.rawDays() == 0 || config.fiveMinuteDays() == 0 ? Future.succeededFuture()
      : pool.preparedQuery("DELETE FROM `" + layout.windows() + "` WHERE `window_start` < ?")
        .execute(Tuple.of(now - Math.max(config.rawDays(), config.fiveMinuteDays()) * Windows.DAY_MILLIS)).mapEmpty();
    if (config.longestDays() == 0) {
      return windows;
    }
    int oldestDayKept = Windows.day(now) - config.longestDays();
    return windows
      .compose(v -> pool.preparedQuery("DELETE FROM `" + layout.series() + "` WHERE `last_day` < ?").execute(Tuple.of(oldestDayKept)))
      .onSuccess(rows -> {
        if (rows.rowCount() > 0) {
          log.info(rows.rowCount() + " series no tier holds data of left the dictionary");
        }
      })
      .compose(v -> pool.preparedQuery("DELETE h FROM `" + layout.hosts() + "` h LEFT JOIN `" + layout.series() + "` s"
        + " ON s.`host_id` = h.`host_id` WHERE s.`series_id` IS NULL AND h.`last_received` < ?")
        .execute(Tuple.of(now - config.longestDays() * Windows.DAY_MILLIS)))
      .mapEmpty();
  }
}
