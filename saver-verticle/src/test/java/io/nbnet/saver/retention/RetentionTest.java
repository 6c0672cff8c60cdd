package io.nbnet.saver.retention;

import io.nbnet.support.config.ConfigView;
import io.nbnet.saver.mysql.MySqlConfig;
import io.nbnet.saver.mysql.SchemaCreator;
import io.nbnet.saver.samples.ShardRule;
import io.nbnet.saver.testing.TestDatabase;
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

/** Day partitions on a real MariaDB, with the clock set to chosen days. */
@ExtendWith(VertxExtension.class)
class RetentionTest {

  private static final LocalDate CREATED = LocalDate.of(2026, 1, 10);

  private TestDatabase database;
  private final ShardRule shards = new ShardRule("samples_", 2, ShardRule.ShardBy.HOST);

  @BeforeEach
  void createSchema(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    MySqlConfig mysql = MySqlConfig.from(ConfigView.of(database.mysqlConfig(), "mysql"));
    new SchemaCreator(vertx, mysql, shards, database.pool())
      .createNowOrLater().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    // new tables hold only the catch-all partition; the first maintenance splits the days off it
    new RetentionManager(vertx, database.pool(), shards.tables(), new RetentionConfig(2, 2, 60_000), clockAt(CREATED))
      .maintain().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @AfterEach
  void dropDatabase() {
    database.close();
  }

  @Test
  @DisplayName("sample tables get day partitions from today to the partitions kept ahead, plus a catch-all")
  void createsDayPartitions() {
    assertEquals(List.of("p20260110", "p20260111", "p20260112", "pmax"), partitions("samples_0"));
    assertEquals(List.of("p20260110", "p20260111", "p20260112", "pmax"), partitions("samples_1"));
  }

  @Test
  @DisplayName("days older than the window disappear with their partitions, newer rows stay, new days are added ahead")
  void dropsExpiredDays(Vertx vertx) throws Exception {
    insert("2026-01-05T12:00:00Z");   // older than any partition: lands in the oldest one
    insert("2026-01-10T08:00:00Z");
    insert("2026-01-11T23:59:59.999Z");
    insert("2026-01-12T00:00:00Z");
    insert("2026-02-01T00:00:00Z");   // beyond the partitions made so far: the catch-all keeps it
    assertEquals(5, database.count("SELECT COUNT(*) FROM samples_all"));

    // on the 13th, with 2 days kept, the 12th and 13th stay; the 10th and 11th go
    new RetentionManager(vertx, database.pool(), shards.tables(), new RetentionConfig(2, 2, 60_000), clockAt(LocalDate.of(2026, 1, 13)))
      .maintain().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

    assertEquals(List.of("p20260112", "p20260113", "p20260114", "p20260115", "pmax"), partitions("samples_0"));
    assertEquals(List.of(millis("2026-01-12T00:00:00Z"), millis("2026-02-01T00:00:00Z")),
      database.query("SELECT ts FROM samples_all ORDER BY ts").stream().map(row -> row.getLong(0)).toList());
  }

  @Test
  @DisplayName("with retention 0 nothing is dropped, partitions are still added ahead")
  void keepsEverythingWithoutRetention(Vertx vertx) throws Exception {
    insert("2026-01-10T08:00:00Z");
    new RetentionManager(vertx, database.pool(), shards.tables(), new RetentionConfig(0, 1, 60_000), clockAt(LocalDate.of(2026, 3, 1)))
      .maintain().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals(1, database.count("SELECT COUNT(*) FROM samples_all"));
    List<String> partitions = partitions("samples_0");
    assertEquals("p20260110", partitions.get(0));
    assertEquals(List.of("p20260301", "p20260302", "pmax"), partitions.subList(partitions.size() - 3, partitions.size()));
  }

  private void insert(String instant) {
    database.query("INSERT INTO samples_0 (host, metric, tags, ts, value) VALUES ('h', 'cpu.user', '', ?, 1)", millis(instant));
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
