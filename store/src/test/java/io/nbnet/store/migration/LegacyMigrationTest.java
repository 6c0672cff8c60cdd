package io.nbnet.store.migration;

import io.nbnet.store.MySqlConfig;
import io.nbnet.store.RetentionConfig;
import io.nbnet.store.schema.SchemaCreator;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.ConfigView;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A v1 database holding samples, migrated on a real MariaDB, stopped half way, resumed, checked against the v1 rows. */
@ExtendWith(VertxExtension.class)
class LegacyMigrationTest {

  private static final StorageLayout LAYOUT = StorageLayout.mariaDb("samples_");
  private static final long HOUR = 3_600_000;
  private static final long NOW = System.currentTimeMillis();
  /** Two hours, three days back: older than the raw tier keeps (1 day), so they become rollups only. */
  private static final long OLD = (NOW / HOUR - 72) * HOUR;
  /** The last two hours: they become raw blocks and rollups. */
  private static final long RECENT = (NOW / HOUR - 2) * HOUR;
  /** Older than every tier keeps. */
  private static final long ANCIENT = NOW - 400L * 24 * HOUR;
  private static final RetentionConfig RETENTION = new RetentionConfig(1, 30, 60, 2, 3_600_000);

  private TestDatabase database;
  private WorkerExecutor cpu;

  @BeforeEach
  void createV1Database(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    cpu = vertx.createSharedWorkerExecutor("migration-test", 1);
    for (int table = 0; table < 2; table++) {
      // the DDL nbnet 1 created
      database.execute("CREATE TABLE samples_" + table + " (`host` VARCHAR(255) NOT NULL, `metric` VARCHAR(128) NOT NULL,"
        + " `tags` VARCHAR(255) NOT NULL DEFAULT '', `ts` BIGINT NOT NULL, `value` DOUBLE NULL, `text_value` VARCHAR(1024) NULL,"
        + " PRIMARY KEY (`host`, `metric`, `tags`, `ts`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
        + " PARTITION BY RANGE (`ts`) (PARTITION pmax VALUES LESS THAN MAXVALUE)");
    }
    insertV1("samples_0", "web-1", OLD, 2 * 360);
    insertV1("samples_1", "Web-1", OLD, 2 * 360);
    insertV1("samples_0", "web-1", RECENT, 360 + 300);
    insertV1("samples_1", "db-2", RECENT, 360 + 300);
    insertV1("samples_0", "web-1", ANCIENT, 10);
    MySqlConfig mysql = MySqlConfig.from(ConfigView.of(database.mysqlConfig(), "mysql"));
    new SchemaCreator(vertx, mysql, LAYOUT, database.pool()).createNowOrLater().toCompletionStage().toCompletableFuture()
      .get(60, TimeUnit.SECONDS);
  }

  @AfterEach
  void dropDatabase() {
    cpu.close();
    database.close();
  }

  @Test
  @DisplayName("recent samples come back exactly from the raw view, older ones as rollups equal to SQL aggregates of the v1 rows")
  void migratesEverySample() throws Exception {
    LegacyMigration.Summary summary = migrate(false);
    assertEquals(List.of("samples_0", "samples_1"), summary.tables());
    assertEquals(2L * (2 * 360 + 360 + 300) * 3, summary.samples());
    assertTrue(summary.skippedChunks() >= 1, "the ancient stretch is skipped");

    String v1Recent = "SELECT host, metric, tags, ts, value, text_value FROM (SELECT * FROM samples_0 UNION ALL SELECT * FROM samples_1) v"
      + " WHERE ts >= ? ORDER BY host, metric, tags, ts";
    String migratedRecent = "SELECT host, metric, tags, ts, value, text_value FROM samples_all WHERE ts >= ? ORDER BY host, metric, tags, ts";
    List<String> expected = rows(v1Recent, RECENT);
    assertEquals(2 * (360 + 300) * 3, expected.size());
    assertEquals(expected, rows(migratedRecent, RECENT));
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_all WHERE ts < ?", RECENT), "nothing older than the raw tier keeps");

    String v1Windows = "SELECT host, ts - ts MOD 300000 AS bucket, MIN(value), MAX(value), ROUND(SUM(value), 6), COUNT(*)"
      + " FROM (SELECT * FROM samples_0 UNION ALL SELECT * FROM samples_1) v WHERE metric = 'cpu.user' AND ts >= ?"
      + " GROUP BY host, bucket ORDER BY host, bucket";
    String migratedWindows = "SELECT host, ts, min, max, ROUND(sum, 6), count FROM samples_5m WHERE metric = 'cpu.user' ORDER BY host, ts";
    assertEquals(rows(v1Windows, OLD), rows(migratedWindows));
    String v1Hours = "SELECT host, ts - ts MOD 3600000 AS bucket, MIN(value), MAX(value), ROUND(SUM(value), 6), COUNT(*)"
      + " FROM (SELECT * FROM samples_0 UNION ALL SELECT * FROM samples_1) v WHERE metric = 'cpu.user' AND ts >= ? AND ts < ?"
      + " GROUP BY host, bucket ORDER BY host, bucket";
    String migratedHours = "SELECT host, ts, min, max, ROUND(sum, 6), count FROM samples_1h WHERE metric = 'cpu.user' AND ts < ? ORDER BY host, ts";
    assertEquals(rows(v1Hours, OLD, RECENT), rows(migratedHours, RECENT));
    assertEquals(4, rows(migratedHours, RECENT).size());
  }

  @Test
  @DisplayName("a migration stopped half way resumes, and stretches done twice change nothing; --drop-migrated drops the v1 tables")
  void resumesAndDrops() throws Exception {
    migrate(false);
    String stored = checksum();
    long chunks = database.count("SELECT COUNT(*) FROM samples_migrated");
    // as if it had stopped before its last stretches were recorded
    database.execute("DELETE FROM samples_migrated ORDER BY chunk_start DESC LIMIT 2");
    LegacyMigration.Summary again = migrate(true);
    assertEquals(2, again.chunks() + again.skippedChunks());
    assertEquals(chunks, database.count("SELECT COUNT(*) FROM samples_migrated"));
    assertEquals(stored, checksum());
    assertEquals(List.of("samples_0", "samples_1"), again.dropped());
    assertEquals(0, database.count("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ? AND table_name IN"
      + " ('samples_0', 'samples_1', 'samples_migrating')", database.name()));
  }

  private LegacyMigration.Summary migrate(boolean drop) throws Exception {
    return new LegacyMigration(database.pool(), cpu, LAYOUT, RETENTION, 6 * HOUR, drop, line -> { }).run();
  }

  /** {@code intervals} samples of three series every 10 s from {@code start}: a moving number, a counter with tags, a text. */
  private void insertV1(String table, String host, long start, int intervals) {
    List<Object> values = new ArrayList<>();
    StringBuilder sql = new StringBuilder("INSERT INTO " + table + " (host, metric, tags, ts, value, text_value) VALUES ");
    for (int i = 0; i < intervals; i++) {
      long ts = start + i * 10_000L + (i * 7) % 13;
      sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?),(?,?,?,?,?,?),(?,?,?,?,?,?)");
      values.addAll(List.of(host, "cpu.user", "", ts, 20 + 15 * Math.sin(i / 9.0) + i % 13 / 7.0));
      values.add(null);
      values.addAll(List.of(host, "disk.reads_per_s", "device=sda", ts, (double) (i * 37 % 101)));
      values.add(null);
      values.addAll(List.of(host, "plugin.state", "", ts));
      values.add(null);
      values.add(i % 10 == 0 ? "degraded, \"quoted\"" : "ok");
    }
    database.query(sql.toString(), values.toArray());
  }

  private List<String> rows(String sql, Object... params) {
    List<String> rows = new ArrayList<>();
    for (Row row : database.query(sql, params)) {
      rows.add(row.deepToString());
    }
    return rows;
  }

  private String checksum() {
    return String.join("\n", rows("SELECT window_start, host_id, series_id, samples, HEX(points) FROM samples_raw ORDER BY 1, 2, 3"))
      + String.join("\n", rows("SELECT * FROM samples_raw_times ORDER BY 1, 2"))
      + String.join("\n", rows("SELECT * FROM samples_rollup_5m ORDER BY 1, 2"))
      + String.join("\n", rows("SELECT * FROM samples_rollup_1h ORDER BY 1, 2"));
  }
}
