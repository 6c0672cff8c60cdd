package io.nbnet.saver.retention;

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
import java.util.Set;
import java.util.logging.Logger;

/**
 * Keeps the day partitions of the sample tables: creates those of the coming days ahead (split off
 * the empty catch-all partition), and drops whole days older than the retention window, which
 * removes their rows without a DELETE scan. Runs at start and then on a schedule.
 */
public final class RetentionManager {

  private static final Logger log = Logger.getLogger(RetentionManager.class.getName());

  private final Vertx vertx;
  private final Pool pool;
  private final List<String> tables;
  private final RetentionConfig config;
  private final Clock clock;
  private final Set<String> reportedUnpartitioned = new HashSet<>();
  private long timer = -1;

  public RetentionManager(Vertx vertx, Pool pool, List<String> tables, RetentionConfig config, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.tables = tables;
    this.config = config;
    this.clock = clock;
  }

  public void start() {
    timer = vertx.setPeriodic(1, config.checkMillis(), id -> maintain()
      .onFailure(failure -> log.warning("partition maintenance failed, trying again in " + config.checkMillis() + " ms: "
        + failure.getMessage())));
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One round over all tables. */
  public Future<Void> maintain() {
    Future<Void> chain = Future.succeededFuture();
    for (String table : tables) {
      chain = chain.compose(v -> maintain(table));
    }
    return chain;
  }

  private Future<Void> maintain(String table) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    return partitions(table).compose(days -> {
      if (days == null) {
        if (reportedUnpartitioned.add(table)) {
          log.warning("table " + table + " has no day partitions (an older nbnet created it): retention cannot drop its old rows");
        }
        return Future.succeededFuture();
      }
      return createAhead(table, days, today).compose(v -> dropExpired(table, days, today));
    });
  }

  /** The days the table has partitions for, in order; null when it is not partitioned by day. */
  private Future<List<LocalDate>> partitions(String table) {
    return pool.preparedQuery("SELECT PARTITION_NAME FROM information_schema.PARTITIONS"
        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY PARTITION_ORDINAL_POSITION")
      .execute(Tuple.of(table))
      .map(rows -> {
        List<LocalDate> days = new ArrayList<>();
        boolean catchAll = false;
        for (Row row : rows) {
          String name = row.getString(0);
          LocalDate day = name == null ? null : DayPartitions.day(name);
          if (day != null) {
            days.add(day);
          }
          catchAll |= DayPartitions.CATCH_ALL.equals(name);
        }
        return catchAll ? days : null;
      });
  }

  private Future<Void> createAhead(String table, List<LocalDate> days, LocalDate today) {
    LocalDate wanted = today.plusDays(config.partitionsAhead());
    LocalDate first = days.isEmpty() ? today : days.get(days.size() - 1).plusDays(1);
    if (first.isAfter(wanted)) {
      return Future.succeededFuture();
    }
    List<String> added = new ArrayList<>();
    for (LocalDate day = first; !day.isAfter(wanted); day = day.plusDays(1)) {
      added.add(DayPartitions.definition(day));
    }
    added.add("PARTITION " + DayPartitions.CATCH_ALL + " VALUES LESS THAN MAXVALUE");
    String sql = "ALTER TABLE `" + table + "` REORGANIZE PARTITION " + DayPartitions.CATCH_ALL + " INTO (" + String.join(", ", added) + ")";
    return pool.query(sql).execute()
      .onSuccess(v -> log.info(table + ": day partitions ready up to " + wanted))
      .mapEmpty();
  }

  private Future<Void> dropExpired(String table, List<LocalDate> days, LocalDate today) {
    if (config.days() == 0) {
      return Future.succeededFuture();
    }
    LocalDate oldestKept = today.minusDays(config.days() - 1L);
    List<String> expired = new ArrayList<>();
    for (LocalDate day : days) {
      if (day.isBefore(oldestKept)) {
        expired.add(DayPartitions.name(day));
      }
    }
    if (expired.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.query("ALTER TABLE `" + table + "` DROP PARTITION " + String.join(", ", expired)).execute()
      .onSuccess(v -> log.info(table + ": dropped partitions " + expired + " (retention " + config.days() + " days)"))
      .mapEmpty();
  }
}
