package io.nbnet.store.series;

import io.nbnet.formats.Sample;
import io.nbnet.store.LimitsConfig;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.schema.SchemaCreator;
import io.nbnet.store.tables.StorageLayout;

import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Series ids from the dictionary on a real MariaDB, by batch shape and by key. */
@ExtendWith(VertxExtension.class)
class SeriesIdsTest {

  private static final StorageLayout LAYOUT = StorageLayout.mariaDb("samples_");

  private TestDatabase database;
  private SeriesIds ids;

  @BeforeEach
  void createSchema(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    MySqlConfig mysql = MySqlConfig.from(ConfigView.of(database.mysqlConfig(), "mysql"));
    Await.result(new SchemaCreator(vertx, mysql, LAYOUT, database.pool()).createNowOrLater());
    ids = new SeriesIds(database.pool(), LAYOUT, 1_000_000, LimitsConfig.DEFAULTS);
  }

  @AfterEach
  void dropDatabase() {
    database.close();
  }

  @Test
  @DisplayName("each sample gets its own series' id whether the batch repeats the last one's order, changes it or adds a series")
  void idsFollowTheSeriesNotThePosition() throws Exception {
    List<Sample> first = batch("web-1", "cpu.user", "", "disk.reads", "device=sda", "disk.reads", "device=sdb");
    int[] firstIds = Await.result(ids.resolve("web-1", first)).seriesIds().clone();
    for (int i = 0; i < first.size(); i++) {
      assertEquals(idInDatabase("web-1", first.get(i)), firstIds[i]);
    }

    // the same shape again, with new string instances as a decoded frame has
    assertArrayEquals(firstIds, Await.result(ids.resolve("web-1", batch("web-1", "cpu.user", "", "disk.reads", "device=sda", "disk.reads", "device=sdb")))
      .seriesIds());

    List<Sample> reordered = batch("web-1", "disk.reads", "device=sdb", "cpu.user", "", "disk.reads", "device=sda");
    assertArrayEquals(new int[] {firstIds[2], firstIds[0], firstIds[1]}, Await.result(ids.resolve("web-1", reordered)).seriesIds());

    List<Sample> grown = batch("web-1", "disk.reads", "device=sdb", "cpu.user", "", "disk.reads", "device=sda", "mem.free_bytes", "");
    int[] grownIds = Await.result(ids.resolve("web-1", grown)).seriesIds();
    assertEquals(idInDatabase("web-1", grown.get(3)), grownIds[3]);
    assertArrayEquals(new int[] {firstIds[2], firstIds[0], firstIds[1]}, java.util.Arrays.copyOf(grownIds, 3));

    // the previous shape again, after the shape changed twice
    assertArrayEquals(firstIds, Await.result(ids.resolve("web-1", first)).seriesIds());

    int[] otherHost = Await.result(ids.resolve("web-2", batch("web-2", "cpu.user", ""))).seriesIds();
    assertNotEquals(firstIds[0], otherHost[0]);
    assertEquals(idInDatabase("web-2", batch("web-2", "cpu.user", "").get(0)), otherHost[0]);
  }

  private int idInDatabase(String host, Sample sample) {
    return (int) database.count("SELECT s.series_id FROM samples_series s JOIN samples_hosts h USING (host_id)"
      + " WHERE h.host = ? AND s.metric = ? AND s.tags = ?", host, sample.metric(), sample.tags());
  }

  /** Samples of one host for metric/tags pairs, with fresh strings. */
  private static List<Sample> batch(String host, String... metricsAndTags) {
    Sample[] samples = new Sample[metricsAndTags.length / 2];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = Sample.numeric(new String(host), 1_700_000_000_000L, new String(metricsAndTags[2 * i]),
        new String(metricsAndTags[2 * i + 1]), i);
    }
    return List.of(samples);
  }

}
