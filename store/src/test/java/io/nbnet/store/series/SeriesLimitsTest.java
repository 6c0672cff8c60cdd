package io.nbnet.store.series;

import io.nbnet.store.LimitsConfig;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.StoreException;
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

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each limit on new series, on a clock the test turns; the dictionary counted from a real MariaDB. */
@ExtendWith(VertxExtension.class)
class SeriesLimitsTest {

  private static final StorageLayout LAYOUT = StorageLayout.mariaDb("samples_");

  private TestDatabase database;
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private SeriesLimits limits;

  @BeforeEach
  void createSchema(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    Await.result(new SchemaCreator(vertx, MySqlConfig.from(ConfigView.of(database.mysqlConfig(), "mysql")), LAYOUT, database.pool())
      .createNowOrLater());
    database.execute("INSERT INTO samples_series (host_id, metric, tags, last_day) SELECT 99, CONCAT('m', seq), '', 0 FROM seq_1_to_40");
    limits = new SeriesLimits(database.pool(), LAYOUT, new LimitsConfig(10, 8, 62, 600_000), clock::get);
  }

  @AfterEach
  void dropDatabase() {
    database.close();
  }

  @Test
  @DisplayName("a host's series, its new series per minute and the dictionary's series are each refused past their limit, by name")
  void eachLimitRefusesByName() {
    assertEquals("saver.limits.maxSeriesPerHost (10)", refused("web-1", 1, 5, 6));
    Await.result(limits.admit("web-1", 1, 5, 5));

    Await.result(limits.admit("web-2", 2, 0, 6));
    assertEquals("saver.limits.maxNewSeriesPerHostPerMinute (8)", refused("web-2", 2, 6, 3));
    Await.result(limits.admit("web-3", 3, 0, 8)); // another host has its own minute
    clock.addAndGet(60_000);
    Await.result(limits.admit("web-2", 2, 6, 3)); // the next minute

    // 40 in the dictionary, 5 + 6 + 8 + 3 admitted: the dictionary is full
    assertEquals("saver.limits.maxSeries (62)", refused("web-4", 4, 0, 1));
    Await.result(limits.admit("web-4", 4, 0, 0));
  }

  @Test
  @DisplayName("a count given back (its write refused for another host) makes room again")
  void countsGivenBackMakeRoom() {
    Runnable giveBack = Await.result(limits.admit("web-5", 5, 0, 4));
    assertEquals("saver.limits.maxNewSeriesPerHostPerMinute (8)", refused("web-5", 5, 4, 5));
    giveBack.run();
    Await.result(limits.admit("web-5", 5, 0, 5));
  }

  private String refused(String host, int hostId, int known, int fresh) {
    StoreException refused = assertThrows(StoreException.class, () -> Await.result(limits.admit(host, hostId, known, fresh)));
    assertEquals(StoreException.Kind.LIMIT, refused.kind());
    assertTrue(refused.getMessage().contains(host), refused.getMessage());
    return refused.getMessage().replaceAll(".*past ", "");
  }
}
