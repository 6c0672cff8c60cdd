package io.nbnet.store.schema;

import io.nbnet.formats.Sample;
import io.nbnet.formats.SampleLimits;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.Store;
import io.nbnet.store.StoreConfig;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tags past 255 characters (a Kubernetes series' labels) are stored whole, told apart by their hash;
 * a series table of an older nbnet is upgraded to them in place, its series kept.
 */
@ExtendWith(VertxExtension.class)
class SeriesTagsTest {

  private static final StoreConfig STORE = ConfigView.parse(new JsonObject(), "saver", saver -> StoreConfig.from(saver, new ArrayList<>()));

  private TestDatabase database;

  @AfterEach
  void dropDatabase() {
    database.close();
  }

  @Test
  @DisplayName("an older series table is widened in place, its series kept; tags of 2,000 characters are one series each, stored whole")
  void longTagsAreStoredWhole(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    MySqlConfig mysql = MySqlConfig.from(ConfigView.of(database.mysqlConfig(), "mysql"));
    Await.result(Store.createSchema(vertx, mysql, STORE), 60);
    // back to the table of an nbnet before the hash, with a series in it
    database.execute("DROP TABLE samples_series");
    database.execute("CREATE TABLE samples_series (`series_id` INT UNSIGNED NOT NULL AUTO_INCREMENT, `host_id` INT UNSIGNED NOT NULL,"
      + " `metric` VARCHAR(128) NOT NULL, `tags` VARCHAR(255) NOT NULL DEFAULT '', `last_day` INT NOT NULL DEFAULT 0,"
      + " PRIMARY KEY (`series_id`), UNIQUE KEY `host_metric_tags` (`host_id`, `metric`, `tags`))");
    database.execute("INSERT INTO samples_series (host_id, metric, tags) VALUES (1, 'cpu.user', 'cpu=0')");

    Await.result(Store.createSchema(vertx, mysql, STORE), 60);
    assertEquals(1, database.count("SELECT COUNT(*) FROM samples_series WHERE metric = 'cpu.user' AND tags = 'cpu=0' AND tags_hash IS NOT NULL"));

    Store store = Store.open(vertx, "tags-test", STORE, mysql);
    try {
      Await.result(store.createNowOrLater(), 60);
      String longTags = "container_id=" + "a".repeat(1_000) + ",image_id=" + "b".repeat(900);
      String otherTags = longTags.substring(0, longTags.length() - 1) + "c";
      assertTrue(SampleLimits.MAX_TAGS_CHARS >= longTags.length());
      long now = System.currentTimeMillis();
      List<Sample> samples = List.of(Sample.numeric("pod-host", now, "kube_pod_info", longTags, 1),
        Sample.numeric("pod-host", now, "kube_pod_info", otherTags, 2));
      Await.result(store.write(samples), 60);
      Await.result(store.write(samples), 60);
      assertEquals(2, database.count("SELECT COUNT(*) FROM samples_series WHERE metric = 'kube_pod_info'"),
        "two series that differ in their last character, each once although written twice");
      assertEquals(longTags.length(), database.query("SELECT LENGTH(tags) FROM samples_series WHERE metric = 'kube_pod_info' AND tags = ?",
        longTags).get(0).getInteger(0));
    } finally {
      Await.result(store.stop(), 60);
    }
  }
}
