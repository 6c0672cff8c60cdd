package io.nbnet.launcher;

import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.testing.Await;
import io.nbnet.support.testing.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The configuration is read once when a process starts and once per change of its file: the
 * components work with the typed sections of that one reading, and read no JSON of their own. Every
 * reading starts with a {@link ConfigView} of a whole object, which logs it at FINE; the test counts
 * those lines.
 */
@ExtendWith(VertxExtension.class)
class ConfigReadOnceTest {

  private static final Logger CONFIG_LOG = Logger.getLogger(ConfigView.class.getName());

  private TestDatabase database;
  private LogCapture log;
  private Level levelBefore;

  @TempDir
  Path folder;

  @BeforeEach
  void start(Vertx vertx) {
    database = new TestDatabase(vertx);
    levelBefore = CONFIG_LOG.getLevel();
    CONFIG_LOG.setLevel(Level.FINE);
    log = LogCapture.of(ConfigView.class.getName(), NbnetVerticle.class.getName(), "io.nbnet.saver.SaverVerticle");
  }

  @AfterEach
  void stop() {
    log.close();
    CONFIG_LOG.setLevel(levelBefore);
    database.close();
  }

  @Test
  @DisplayName("collector, trans and saver start on one reading of the file, a change of it is read once for all three, an old key warned about once")
  void eachSectionIsReadOnce(Vertx vertx) throws Exception {
    Path file = folder.resolve("nbnet.json");
    Files.writeString(file, config(5_000).encodePrettily());
    NbnetConfig config = NbnetConfig.parse(new JsonObject(Files.readString(file)));
    String deployment = Await.result(vertx.deployVerticle(new NbnetVerticle(config, file)), 60);
    assertEquals(List.of("reading the configuration"), readings(), "at start");

    Files.writeString(file, config(1_000).encodePrettily());
    await("the change applied").atMost(10, TimeUnit.SECONDS)
      .until(() -> log.lines().contains("the configuration file changed; applying it"));
    assertEquals(List.of("reading the configuration", "reading the configuration"), readings(), "after the change");
    assertEquals(1, log.lines().stream().filter(line -> line.contains("retention.days applies to every tier not set")).count(),
      "an old key is warned about once, at start: " + log.lines());
    Await.result(vertx.undeploy(deployment), 30);
  }

  private List<String> readings() {
    return log.lines().stream().filter(line -> line.startsWith("reading the configuration")).toList();
  }

  private JsonObject config(long collectorIntervalMs) {
    return new JsonObject().put("components", new JsonArray().add("collector").add("trans").add("saver"))
      .put("reload", new JsonObject().put("scanPeriodMs", 100))
      .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig())
        .put("http", new JsonObject().put("port", 0))
        .put("retention", new JsonObject().put("days", 30)))
      .put("trans", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("savers", new JsonArray().add("127.0.0.1:1")))
      .put("collector", new JsonObject().put("intervalMs", collectorIntervalMs).put("trans", new JsonObject().put("address", "127.0.0.1:1")));
  }
}
