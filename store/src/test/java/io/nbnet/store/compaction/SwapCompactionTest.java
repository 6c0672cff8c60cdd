package io.nbnet.store.compaction;

import io.nbnet.store.MySqlConfig;
import io.nbnet.store.Store;
import io.nbnet.store.StoreConfig;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.tables.Windows;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One run of compaction over the compacting table on a real MariaDB, at its edges: a host with more
 * rows than a page, samples past the raw tier's retention, a late sample that disagrees with its block.
 */
@ExtendWith(VertxExtension.class)
class SwapCompactionTest {

  private static final StoreConfig STORE = ConfigView.parse(new JsonObject(), "saver", saver -> StoreConfig.from(saver, new ArrayList<>()));
  private static final StorageLayout LAYOUT = STORE.layout();
  /** A window of yesterday: closed, within any retention. */
  private static final long WINDOW = Windows.windowOf(System.currentTimeMillis() - Windows.DAY_MILLIS);

  private TestDatabase database;
  private WorkerExecutor cpu;

  @BeforeEach
  void createSchema(Vertx vertx) {
    database = new TestDatabase(vertx);
    Await.result(Store.createSchema(vertx, MySqlConfig.from(ConfigView.of(database.mysqlConfig(), "mysql")), STORE), 60);
    cpu = vertx.createSharedWorkerExecutor("compaction-test", 1);
  }

  @AfterEach
  void dropDatabase() {
    cpu.close();
    database.close();
  }

  @Test
  @DisplayName("a host with more rows than a page is read alone and compacted whole, its neighbours as well")
  void hostLargerThanAPage() {
    int series = 250;
    int times = SwapCompaction.PAGE_ROWS / series + 20;
    database.execute("INSERT INTO samples_compacting (host_id, ts, series_id, value) SELECT 1, " + WINDOW + " + (seq DIV " + series
      + ") * 1000, seq MOD " + series + " + 1, seq FROM seq_0_to_" + (series * times - 1));
    database.execute("INSERT INTO samples_compacting (host_id, ts, series_id, value) SELECT 2, " + WINDOW + " + seq * 1000, 1000, seq"
      + " FROM seq_0_to_9");

    SwapCompaction.Result result = run(Long.MIN_VALUE, false);

    assertEquals(series * times + 10L, result.samples());
    assertEquals(series, database.count("SELECT COUNT(*) FROM samples_raw WHERE window_start = ? AND host_id = 1", WINDOW));
    assertEquals((long) series * times, database.count("SELECT SUM(samples) FROM samples_raw WHERE window_start = ? AND host_id = 1", WINDOW));
    assertEquals(10, database.count("SELECT samples FROM samples_raw WHERE window_start = ? AND host_id = 2", WINDOW));
    assertEquals(series + 1L, database.count("SELECT COUNT(*) FROM samples_rollup_5m"));
  }

  @Test
  @DisplayName("samples older than the raw tier's retention are dropped and counted; a migration rolls them up instead")
  void samplesPastRetention() {
    long old = WINDOW - 10 * Windows.DAY_MILLIS;
    long cutoff = WINDOW - Windows.DAY_MILLIS;
    database.execute("INSERT INTO samples_compacting (host_id, ts, series_id, value) VALUES (1, " + old + ", 1, 5), (1, " + (old + 1_000)
      + ", 1, 7), (1, " + WINDOW + ", 1, 9)");

    SwapCompaction.Result compacted = run(cutoff, false);
    assertEquals(2, compacted.droppedOld());
    assertEquals(1, compacted.samples());
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_raw WHERE window_start = ?", old));
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_rollup_5m WHERE hour = ?", Windows.hourOf(old)));

    SwapCompaction.Result migrated = run(cutoff, true);
    assertEquals(0, migrated.droppedOld());
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_raw WHERE window_start = ?", old), "no raw block past retention");
    assertEquals(1, database.count("SELECT COUNT(*) FROM samples_rollup_5m WHERE hour = ?", Windows.hourOf(old)));
    assertEquals(12.0, bucketSum(old, 1), 0.0);
  }

  @Test
  @DisplayName("a late sample with another value for a key its block holds keeps the block's value and is counted; a new one joins the block")
  void lateSamplesMergeIntoTheirBlock() {
    database.execute("INSERT INTO samples_compacting (host_id, ts, series_id, value) VALUES (1, " + WINDOW + ", 1, 5), (1, " + WINDOW
      + ", 2, 6)");
    run(Long.MIN_VALUE, false);
    database.execute("TRUNCATE TABLE samples_compacting");
    database.execute("INSERT INTO samples_compacting (host_id, ts, series_id, value) VALUES (1, " + WINDOW + ", 1, 50), (1, "
      + (WINDOW + 10_000) + ", 1, 8)");

    SwapCompaction.Result late = run(Long.MIN_VALUE, false);

    assertEquals(1, late.conflicts());
    assertEquals(2, database.count("SELECT samples FROM samples_raw WHERE window_start = ? AND series_id = 1", WINDOW));
    assertEquals(1, database.count("SELECT samples FROM samples_raw WHERE window_start = ? AND series_id = 2", WINDOW),
      "series 2 is aligned with the window's new time and keeps its one sample");
    assertEquals(13.0, bucketSum(WINDOW, 1), 0.0, "the rollup sums the block's values: 5 + 8");
  }

  /** The sum of a series' 5-minute rollup of {@code window}, from its hour's row. */
  private double bucketSum(long window, int series) {
    return database.query("SELECT CAST(JSON_VALUE(buckets, CONCAT('$[', ?, '][2]')) AS DOUBLE) FROM samples_rollup_5m WHERE hour = ? AND series_id = ?",
      (window - Windows.hourOf(window)) / Windows.WINDOW_MILLIS, Windows.hourOf(window), series).get(0).getDouble(0);
  }

  private SwapCompaction.Result run(long rawCutoffMillis, boolean rollUpBeyondRaw) {
    SwapCompaction compaction = new SwapCompaction(database.pool(), LAYOUT, cpu, new SeriesDays(LAYOUT), new HourRollups(database.pool(), LAYOUT),
      new SwapCompaction.Scope(LAYOUT.compacting(), rawCutoffMillis, rollUpBeyondRaw, 0));
    return Await.result(compaction.run(), 120);
  }
}
