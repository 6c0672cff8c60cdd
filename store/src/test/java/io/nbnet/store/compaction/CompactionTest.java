package io.nbnet.store.compaction;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nbnet.formats.Sample;
import io.nbnet.formats.Tags;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.store.testing.TestStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compaction on a real MariaDB, through a store: an hour and a window of one host's samples (a moving
 * number, a constant, a text) written a frame's worth at a time, compacted into raw blocks and both
 * rollup tiers, which must equal SQL aggregates over the raw samples; replays and late samples after
 * that.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CompactionTest {

  private static final String HOST = "compacted-host";
  private static final long HOUR = 3_600_000;
  /** An hour two hours back, so every window of it is closed by the saver's clock. */
  private static final long START = (System.currentTimeMillis() / HOUR - 2) * HOUR;
  private static final int INTERVALS = 390;
  private static TestDatabase database;
  private static TestStore store;

  @BeforeAll
  static void openStore(Vertx vertx) {
    if (Metrics.globalRegistry.getRegistries().isEmpty()) {
      Metrics.addRegistry(new SimpleMeterRegistry());
    }
    database = new TestDatabase(vertx);
    store = new TestStore(vertx, database, new JsonObject()
      .put("compaction", new JsonObject().put("graceMs", 0).put("quietMs", 200).put("checkIntervalMs", 100)));
    List<List<Sample>> frames = new ArrayList<>();
    for (int i = 0; i < INTERVALS; i++) {
      frames.add(sampleAt(i));
    }
    write(frames);
    awaitCompacted();
  }

  @AfterAll
  static void dropDatabase() {
    store.close();
    database.close();
  }

  @Test
  @Order(1)
  @DisplayName("every sample is read back from the raw blocks, with its millisecond time, number or text")
  void rawBlocksHoldEverySample() {
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_recent"));
    assertEquals(3L * INTERVALS, database.count("SELECT COUNT(*) FROM samples_all WHERE host = ? AND shard = 'samples_raw'", HOST));
    for (int i : List.of(0, 1, 37, INTERVALS - 1)) {
      List<Sample> expected = sampleAt(i);
      for (Sample sample : expected) {
        Row row = database.query("SELECT value, text_value, time FROM samples_all WHERE host = ? AND metric = ? AND ts = ?",
          HOST, sample.metric(), sample.timestampMillis()).get(0);
        if (sample.isText()) {
          assertEquals(sample.text(), row.getString(1));
        } else {
          assertEquals(sample.value(), row.getDouble(0), 0.0, sample.metric() + " at " + i);
        }
      }
    }
  }

  @Test
  @Order(2)
  @DisplayName("5-minute rollups equal SQL aggregates over the raw samples of each window")
  void fiveMinuteRollupsEqualAggregates() {
    List<Row> differences = database.query("SELECT r.ts, r.metric, r.min, a.min, r.count, a.count FROM samples_5m r JOIN ("
      + " SELECT metric, ts - ts MOD 300000 AS bucket, MIN(value) AS min, MAX(value) AS max, SUM(value) AS sum, COUNT(value) AS count"
      + " FROM samples_all WHERE host = ? AND value IS NOT NULL GROUP BY metric, bucket) a ON a.metric = r.metric AND a.bucket = r.ts"
      + " WHERE r.host = ? AND (r.min <> a.min OR r.max <> a.max OR ABS(r.sum - a.sum) > 1e-6 * ABS(a.sum) OR r.count <> a.count)", HOST, HOST);
    assertTrue(differences.isEmpty(), () -> "rollups differ: " + differences.stream().map(Row::deepToString).toList());
    assertEquals(database.count("SELECT COUNT(DISTINCT metric, ts - ts MOD 300000) FROM samples_all WHERE host = ? AND value IS NOT NULL", HOST),
      database.count("SELECT COUNT(*) FROM samples_5m WHERE host = ?", HOST));
    Row last = database.query("SELECT last FROM samples_5m WHERE host = ? AND metric = 'cpu.user' AND ts = ?", HOST, START).get(0);
    assertEquals(sampleAt(29).get(0).value(), last.getDouble(0), 0.0, "last is the newest sample's value");
  }

  @Test
  @Order(3)
  @DisplayName("1-hour rollups equal SQL aggregates over the raw samples of the hour")
  void hourRollupsEqualAggregates() {
    Row hour = database.query("SELECT min, max, sum, count, last FROM samples_1h WHERE host = ? AND metric = 'cpu.user' AND ts = ?",
      HOST, START).get(0);
    Row raw = database.query("SELECT MIN(value), MAX(value), SUM(value), COUNT(*) FROM samples_all WHERE host = ? AND metric = 'cpu.user'"
      + " AND ts >= ? AND ts < ?", HOST, START, START + HOUR).get(0);
    assertEquals(raw.getDouble(0), hour.getDouble(0));
    assertEquals(raw.getDouble(1), hour.getDouble(1));
    assertEquals(raw.getDouble(2), hour.getDouble(2), 1e-6 * Math.abs(raw.getDouble(2)));
    assertEquals(raw.getLong(3), hour.getLong(3));
    assertEquals(360, hour.getLong(3));
    assertEquals(sampleAt(359).get(0).value(), hour.getDouble(4), 0.0);
  }

  @Test
  @Order(3)
  @DisplayName("an hour with samples in only some of its windows is rolled up over those windows once it closes")
  void partialHourIsRolledUp() {
    Row hour = database.query("SELECT count, last FROM samples_1h WHERE host = ? AND metric = 'cpu.user' AND ts = ?",
      HOST, START + HOUR).get(0);
    assertEquals(INTERVALS - 360, hour.getLong(0));
    assertEquals(sampleAt(INTERVALS - 1).get(0).value(), hour.getDouble(1), 0.0);
  }

  @Test
  @Order(4)
  @DisplayName("replaying every frame after compaction changes nothing: the view shows no replayed twice, blocks and rollups stay the same")
  void compactionIsIdempotent() {
    String blocksBefore = checksum("SELECT window_start, series_id, samples, points FROM samples_raw ORDER BY 1, 2");
    String rollupsBefore = checksum("SELECT * FROM samples_rollup_5m ORDER BY 1, 2") + checksum("SELECT * FROM samples_rollup_1h ORDER BY 1, 2");
    List<List<Sample>> frames = new ArrayList<>();
    for (int i = 0; i < INTERVALS; i++) {
      frames.add(sampleAt(i));
    }
    write(frames);
    assertEquals(3L * INTERVALS, database.count("SELECT COUNT(*) FROM samples_all WHERE host = ?", HOST), "before the replay is compacted");
    awaitCompacted();
    assertEquals(blocksBefore, checksum("SELECT window_start, series_id, samples, points FROM samples_raw ORDER BY 1, 2"));
    assertEquals(rollupsBefore, checksum("SELECT * FROM samples_rollup_5m ORDER BY 1, 2") + checksum("SELECT * FROM samples_rollup_1h ORDER BY 1, 2"));
    assertEquals(3L * INTERVALS, database.count("SELECT COUNT(*) FROM samples_all WHERE host = ?", HOST));
  }

  @Test
  @Order(5)
  @DisplayName("a late sample for a compacted window is merged into its block and updates both rollups")
  void lateSamplesUpdateTheirWindow() {
    long late = START + 5_000;
    write(List.of(List.of(Sample.numeric(HOST, late, "cpu.user", Tags.NONE, 1_000_000))));
    awaitCompacted();
    assertEquals(1_000_000, database.query("SELECT value FROM samples_all WHERE host = ? AND metric = 'cpu.user' AND ts = ?", HOST, late)
      .get(0).getDouble(0));
    // a new time in the host's window: its other series' blocks were aligned with it again, nothing lost
    assertEquals(3L * INTERVALS + 1, database.count("SELECT COUNT(*) FROM samples_all WHERE host = ?", HOST));
    assertEquals(List.of(sampleAt(0).get(2).text(), sampleAt(1).get(2).text()), database.query("SELECT text_value FROM samples_all"
      + " WHERE host = ? AND metric = 'plugin.state' AND ts < ? ORDER BY ts", HOST, START + 20_000).stream().map(row -> row.getString(0)).toList());
    Row window = database.query("SELECT max, count FROM samples_5m WHERE host = ? AND metric = 'cpu.user' AND ts = ?", HOST, START).get(0);
    assertEquals(1_000_000, window.getDouble(0));
    assertEquals(31, window.getLong(1));
    Row hour = database.query("SELECT max, count FROM samples_1h WHERE host = ? AND metric = 'cpu.user' AND ts = ?", HOST, START).get(0);
    assertEquals(1_000_000, hour.getDouble(0));
    assertEquals(361, hour.getLong(1));
  }

  @Test
  @Order(6)
  @DisplayName("a late sample with another value for a stored key keeps the stored value and is counted as a conflict")
  void lateConflictsKeepTheStoredValue() {
    double before = conflictsCounted();
    Sample stored = sampleAt(3).get(0);
    write(List.of(List.of(Sample.numeric(HOST, stored.timestampMillis(), "cpu.user", Tags.NONE, -1))));
    String storedValue = "SELECT value FROM samples_all WHERE host = ? AND metric = 'cpu.user' AND ts = ?";
    assertEquals(List.of(stored.value()), database.query(storedValue, HOST, stored.timestampMillis()).stream().map(row -> row.getDouble(0)).toList(),
      "before the late sample is compacted");
    awaitCompacted();
    assertEquals(List.of(stored.value()), database.query(storedValue, HOST, stored.timestampMillis()).stream().map(row -> row.getDouble(0)).toList());
    await().atMost(10, TimeUnit.SECONDS).until(() -> conflictsCounted() == before + 1);
  }

  /** The samples of interval {@code i}: a moving number, a constant, and a text every tenth interval. */
  private static List<Sample> sampleAt(int i) {
    long ts = START + i * 10_000L + i % 7;
    return List.of(
      Sample.numeric(HOST, ts, "cpu.user", Tags.NONE, 20 + 15 * Math.sin(i / 9.0) + (i % 13) / 7.0),
      Sample.numeric(HOST, ts, "mem.total_bytes", Tags.NONE, 16_777_216_000.0),
      Sample.text(HOST, ts, "plugin.state", Tags.NONE, i % 10 == 0 ? "degraded, \"quoted\"" : "ok"));
  }

  /** Each frame's samples written as a saver writes a frame's: committed before the next. */
  private static void write(List<List<Sample>> frames) {
    frames.forEach(store::write);
  }

  private static void awaitCompacted() {
    await().atMost(60, TimeUnit.SECONDS).until(() -> database.count("SELECT COUNT(*) FROM samples_recent") == 0
      && database.count("SELECT COUNT(*) FROM samples_compacting") == 0
      && database.count("SELECT COUNT(*) FROM samples_rollup_1h") > 0);
  }

  private static String checksum(String sql) {
    StringBuilder text = new StringBuilder();
    database.query(sql).forEach(row -> text.append(row.deepToString()).append('\n'));
    return Integer.toHexString(text.toString().hashCode()) + "/" + text.length();
  }

  private static double conflictsCounted() {
    var counter = Metrics.globalRegistry.find("nbnet.saver.compaction.conflicts").counter();
    return counter == null ? 0 : counter.count();
  }
}
