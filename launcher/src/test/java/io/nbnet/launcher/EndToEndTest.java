package io.nbnet.launcher;

import io.nbnet.launcher.testing.LoggedPorts;
import io.nbnet.store.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole pipeline in one process, as conf/all-in-one.json runs it, against a real MariaDB. */
@ExtendWith(VertxExtension.class)
class EndToEndTest {

  private static TestDatabase database;

  @BeforeAll
  static void createDatabase(Vertx vertx) {
    database = new TestDatabase(vertx);
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  @ParameterizedTest(name = "through trans: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("samples of this host and of a command plugin reach at least two tables with plausible values, with trans and with trans bypassed")
  void samplesReachMySql(boolean viaTrans, Vertx vertx) throws Exception {
    String host = viaTrans ? "e2e-via-trans" : "e2e-direct";
    List<String> deployments = new ArrayList<>();
    try (LoggedPorts ports = LoggedPorts.capture()) {
      // each server on port 0, started before whoever sends to it
      deployments.add(deploy(vertx, new JsonObject().put("components", new JsonArray().add("saver"))
        .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig())
          .put("http", new JsonObject().put("port", 0)))));
      int saverPort = ports.server("saver");
      int transPort = 0;
      if (viaTrans) {
        deployments.add(deploy(vertx, new JsonObject().put("components", new JsonArray().add("trans"))
          .put("trans", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("savers", new JsonArray().add("127.0.0.1:" + saverPort)))));
        transPort = ports.server("trans");
      }
      deployments.add(deploy(vertx, new JsonObject().put("components", new JsonArray().add("collector"))
        .put("collector", new JsonObject().put("host", host).put("intervalMs", 500)
          .put("plugins", new JsonArray().add(new JsonObject().put("name", "answer").put("shell", "echo plugin.answer 42")
            .put("intervalMs", 500).put("format", "graphite")))
          .put("trans", new JsonObject().put("enabled", viaTrans).put("address", "127.0.0.1:" + (viaTrans ? transPort : 1)))
          .put("saver", new JsonObject().put("address", "127.0.0.1:" + saverPort)))));

      long cpuRows = database.awaitCount(8, 30_000, "SELECT COUNT(*) FROM samples_all WHERE host = ? AND metric LIKE 'cpu.%' AND metric <> 'cpu.count'", host);
      assertTrue(cpuRows >= 8, "CPU samples stored: " + cpuRows);
      database.awaitCount(1, 30_000, "SELECT COUNT(*) FROM samples_all WHERE host = ? AND metric = 'plugin.answer'", host);
    } finally {
      for (String deployment : deployments) {
        vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }

    for (Row row : database.query("SELECT metric, value FROM samples_all WHERE host = ? AND metric LIKE 'cpu.%' AND metric <> 'cpu.count'", host)) {
      double percent = row.getDouble("value");
      assertTrue(percent >= 0 && percent <= 100, row.getString("metric") + " = " + percent);
    }
    List<Row> memory = database.query("SELECT total.ts, total.value AS total, used.value AS used FROM samples_all total"
      + " JOIN samples_all used ON used.host = total.host AND used.ts = total.ts AND used.metric = 'mem.used_bytes'"
      + " WHERE total.host = ? AND total.metric = 'mem.total_bytes'", host);
    assertTrue(memory.size() >= 2, "memory samples: " + memory.size());
    for (Row row : memory) {
      assertTrue(row.getDouble("total") > 0);
      assertTrue(row.getDouble("used") <= row.getDouble("total"), "used <= total at " + row.getLong("ts"));
    }
    for (String metric : List.of("load.1", "uptime.seconds", "tcp.listen", "proc.total")) {
      assertTrue(database.count("SELECT COUNT(*) FROM samples_all WHERE host = ? AND metric = ?", host, metric) > 0, metric);
    }
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_all WHERE host = ? AND value < 0", host));
    assertTrue(database.count("SELECT COUNT(*) FROM samples_all WHERE host = ? AND metric = 'plugin.answer' AND value = 42", host) > 0,
      "the command plugin's samples are stored too");
  }

  private static String deploy(Vertx vertx, JsonObject config) throws Exception {
    return vertx.deployVerticle(new NbnetVerticle(NbnetConfig.parse(config)))
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
