package io.nbnet.store.compaction;

import io.nbnet.store.MySqlConfig;
import io.nbnet.store.Store;
import io.nbnet.store.StoreConfig;
import io.nbnet.store.tables.Windows;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host with 300,000 series in one window (what one careless pusher makes of the collector's own
 * host), compacted by a process with a 256 MB heap: memory does not grow with a host's series.
 */
@ExtendWith(VertxExtension.class)
class LargeWindowTest {

  private static final StoreConfig STORE = ConfigView.parse(new JsonObject(), "saver", saver -> StoreConfig.from(saver, new ArrayList<>()));
  private static final long WINDOW = Windows.windowOf(System.currentTimeMillis() - Windows.DAY_MILLIS);
  private static final int SERIES = 300_000;
  /** The attack's pushes: each brought its names at a time of its own. */
  private static final int TIMES = 20;

  private TestDatabase database;

  @BeforeEach
  void createSchema(Vertx vertx) {
    database = new TestDatabase(vertx);
    Await.result(Store.createSchema(vertx, MySqlConfig.from(ConfigView.of(database.mysqlConfig(), "mysql")), STORE), 60);
  }

  @AfterEach
  void dropDatabase() {
    database.close();
  }

  @Test
  @DisplayName("300,000 series of one host in one window are compacted at -Xmx256m, then a late sample realigns them all")
  void threeHundredThousandSeriesInA256MegabyteHeap() throws Exception {
    database.execute("INSERT INTO samples_compacting (host_id, ts, series_id, value) SELECT 7, " + WINDOW + " + (seq MOD " + TIMES
      + ") * 10000, seq + 1, seq / 4 FROM seq_0_to_" + (SERIES - 1));
    database.execute("INSERT INTO samples_compacting (host_id, ts, series_id, value) VALUES (8, " + WINDOW + ", " + (SERIES + 1) + ", 1.5)");

    String first = compactIn256Megabytes();
    assertTrue(first.contains("compacted " + (SERIES + 1) + " samples"), first);
    assertEquals(SERIES, database.count("SELECT COUNT(*) FROM samples_raw WHERE window_start = ? AND host_id = 7", WINDOW));
    assertEquals(SERIES, database.count("SELECT SUM(samples) FROM samples_raw WHERE window_start = ? AND host_id = 7", WINDOW));
    assertEquals(TIMES, database.count("SELECT JSON_LENGTH(times) FROM samples_raw_times WHERE window_start = ? AND host_id = 7", WINDOW));
    assertEquals(SERIES + 1L, database.count("SELECT COUNT(*) FROM samples_rollup_5m WHERE hour = ?", Windows.hourOf(WINDOW)));
    assertEquals(1, database.count("SELECT samples FROM samples_raw WHERE window_start = ? AND host_id = 8", WINDOW));

    // a late sample at a new time: every stored block of the host is realigned, a slice at a time
    database.execute("TRUNCATE TABLE samples_compacting");
    database.execute("INSERT INTO samples_compacting (host_id, ts, series_id, value) VALUES (7, " + (WINDOW + 299_000) + ", 5, 42)");
    String late = compactIn256Megabytes();
    assertTrue(late.contains("compacted 1 samples"), late);
    assertEquals(TIMES + 1, database.count("SELECT JSON_LENGTH(times) FROM samples_raw_times WHERE window_start = ? AND host_id = 7", WINDOW));
    assertEquals(SERIES + 1L, database.count("SELECT SUM(samples) FROM samples_raw WHERE window_start = ? AND host_id = 7", WINDOW));
    assertEquals(2, database.count("SELECT samples FROM samples_raw WHERE window_start = ? AND host_id = 7 AND series_id = 5", WINDOW));
  }

  /** Runs {@link CompactOneRun} with {@code -Xmx256m}; its output, once it exited 0 (an OutOfMemoryError ends it at once). */
  private String compactIn256Megabytes() throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    File log = File.createTempFile("compact-one-run", ".log");
    try {
      Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
        CompactOneRun.class.getName(), database.mysqlConfig().encode()))
        .redirectErrorStream(true).redirectOutput(log).start();
      assertTrue(process.waitFor(10, TimeUnit.MINUTES), "the compaction ended within 10 minutes");
      String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), output);
      return output;
    } finally {
      Files.delete(log.toPath());
    }
  }
}
