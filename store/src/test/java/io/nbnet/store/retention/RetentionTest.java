package io.nbnet.store.retention;

import io.nbnet.store.MySqlConfig;
import io.nbnet.store.RetentionConfig;
import io.nbnet.store.schema.SchemaCreator;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.ConfigView;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each tier's partitions on a real MariaDB, with the clock set to chosen days. */
@ExtendWith(VertxExtension.class)
class RetentionTest {

  private static final LocalDate CREATED = LocalDate.of(2026, 1, 10);
  private static final StorageLayout LAYOUT = StorageLayout.mariaDb("samples_");

  private TestDatabase database;

  @BeforeEach
  void createSchema(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    MySqlConfig mysql = MySqlConfig.from(ConfigView.of(database.mysqlConfig(), "mysql"));
    new SchemaCreator(vertx, mysql, LAYOUT, database.pool()).createNowOrLater().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    // new tables hold only the catch-all partition; the first maintenance splits the periods off it
    maintain(vertx, new RetentionConfig(2, 3, 40, 2, 60_000), CREATED);
  }

  @AfterEach
  void dropDatabase() {
    database.close();
  }

  @Test
  @DisplayName("raw and 5-minute tiers get day partitions from today to the days kept ahead, the hour tier month partitions")
  void createsPartitions() {
    assertEquals(List.of("p20260110", "p20260111", "p20260112", "pmax"), partitions("samples_raw"));
    assertEquals(List.of("p20260110", "p20260111", "p20260112", "pmax"), partitions("samples_rollup_5m"));
    assertEquals(List.of("p202601", "p202602", "pmax"), partitions("samples_rollup_1h"));
  }

  @Test
  @DisplayName("each tier drops what is older than its own retention, keeps newer rows, and adds periods ahead")
  void dropsExpiredPeriodsPerTier(Vertx vertx) throws Exception {
    for (String day : List.of("2026-01-10T08:00:00Z", "2026-01-11T23:55:00Z", "2026-01-12T00:00:00Z", "2026-03-01T00:00:00Z")) {
      long bucket = Instant.parse(day).toEpochMilli();
      database.query("INSERT INTO samples_raw (window_start, host_id, series_id, samples, points) VALUES (?, 1, 1, 1, COMPRESS('[[0,1]]'))", bucket);
      database.query("INSERT INTO samples_rollup_5m (hour, series_id, buckets) VALUES (?, 1, '[]')", bucket - bucket % 3_600_000);
      database.query("INSERT INTO samples_rollup_1h (series_id, bucket, min, max, sum, count, last) VALUES (1, ?, 1, 1, 1, 1, 1)", bucket);
    }
    // on the 13th: raw keeps 2 days (12th, 13th), 5-minute rollups 3 days (11th to 13th), hours 40 days (January stays)
    maintain(vertx, new RetentionConfig(2, 3, 40, 2, 60_000), LocalDate.of(2026, 1, 13));
    assertEquals(List.of(millis("2026-01-12T00:00:00Z"), millis("2026-03-01T00:00:00Z")), column("SELECT window_start FROM samples_raw"));
    assertEquals(List.of(millis("2026-01-11T23:00:00Z"), millis("2026-01-12T00:00:00Z"), millis("2026-03-01T00:00:00Z")),
      column("SELECT hour FROM samples_rollup_5m"));
    assertEquals(4, column("SELECT bucket FROM samples_rollup_1h").size());
    assertEquals(List.of("p20260112", "p20260113", "p20260114", "p20260115", "pmax"), partitions("samples_raw"));

    // on the 15th of March January's hours are past 40 days: the whole month goes
    maintain(vertx, new RetentionConfig(2, 3, 40, 2, 60_000), LocalDate.of(2026, 3, 15));
    assertEquals(List.of(millis("2026-03-01T00:00:00Z")), column("SELECT bucket FROM samples_rollup_1h"));
  }

  @Test
  @DisplayName("with retention 0 nothing is dropped, partitions are still added ahead")
  void keepsEverythingWithoutRetention(Vertx vertx) throws Exception {
    database.query("INSERT INTO samples_raw (window_start, host_id, series_id, samples, points) VALUES (?, 1, 1, 1, COMPRESS('[[0,1]]'))",
      millis("2026-01-10T08:00:00Z"));
    maintain(vertx, new RetentionConfig(0, 0, 0, 1, 60_000), LocalDate.of(2026, 3, 1));
    assertEquals(1, column("SELECT window_start FROM samples_raw").size());
    List<String> partitions = partitions("samples_raw");
    assertEquals("p20260110", partitions.get(0));
    assertEquals(List.of("p20260301", "p20260302", "pmax"), partitions.subList(partitions.size() - 3, partitions.size()));
  }

  @Test
  @DisplayName("series whose newest data every tier has dropped leave the dictionary, and hosts left without series too")
  void forgetsSeriesNoTierHolds(Vertx vertx) throws Exception {
    int today = (int) LocalDate.of(2026, 3, 1).toEpochDay();
    database.query("INSERT INTO samples_hosts (host, first_received, last_received, last_ts) VALUES ('gone', 0, 0, 0), ('here', 0, ?, 0)",
      LocalDate.of(2026, 3, 1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
    database.query("INSERT INTO samples_series (host_id, metric, tags, last_day) VALUES (1, 'old', '', ?), (2, 'new', '', ?)", today - 50, today);
    maintain(vertx, new RetentionConfig(2, 3, 40, 2, 60_000), LocalDate.of(2026, 3, 1));
    assertEquals(List.of("new"), database.query("SELECT metric FROM samples_series").stream().map(row -> row.getString(0)).toList());
    assertEquals(List.of("here"), database.query("SELECT host FROM samples_hosts").stream().map(row -> row.getString(0)).toList());
  }

  private void maintain(Vertx vertx, RetentionConfig config, LocalDate day) throws Exception {
    new RetentionManager(vertx, database.pool(), LAYOUT, config, clockAt(day)).maintain().toCompletionStage().toCompletableFuture()
      .get(60, TimeUnit.SECONDS);
  }

  private List<Long> column(String sql) {
    return database.query(sql + " ORDER BY 1").stream().map(row -> row.getLong(0)).toList();
  }

  private List<String> partitions(String table) {
    return database.query("SELECT PARTITION_NAME FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
      + " ORDER BY PARTITION_ORDINAL_POSITION", database.name(), table).stream().map(row -> row.getString(0)).toList();
  }

  private static long millis(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  private static Clock clockAt(LocalDate day) {
    return Clock.fixed(day.atTime(10, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
  }
}
