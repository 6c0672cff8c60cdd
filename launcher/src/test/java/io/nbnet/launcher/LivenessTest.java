package io.nbnet.launcher;

import io.nbnet.launcher.testing.LoggedPorts;
import io.nbnet.store.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real collector stopped and started again, as the saver's liveness check and an Alertmanager stand-in see it. */
@ExtendWith(VertxExtension.class)
class LivenessTest {

  private static final String HOST = "liveness-e2e";

  @Test
  @DisplayName("a stopped collector's host goes late, then silent, and reports again once it restarts: one firing and one resolved alert")
  void stoppedCollectorGoesSilentAndComesBack(Vertx vertx) throws Exception {
    List<JsonObject> alerts = new CopyOnWriteArrayList<>();
    HttpServer alertmanager = get(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      body.toJsonArray().forEach(alert -> alerts.add((JsonObject) alert));
      request.response().setStatusCode(200).end();
    })).listen(0, "127.0.0.1"));
    try (TestDatabase database = new TestDatabase(vertx); LoggedPorts ports = LoggedPorts.capture()) {
      String saver = deploy(vertx, new JsonObject().put("components", new JsonArray().add("saver"))
        .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig()).put("http", new JsonObject().put("port", 0))
          .put("liveness", new JsonObject().put("silentAfterMs", 5_000).put("checkIntervalMs", 250)
            .put("webhookUrl", "http://127.0.0.1:" + alertmanager.actualPort() + "/api/v2/alerts"))));
      JsonObject collectorConfig = new JsonObject().put("components", new JsonArray().add("collector"))
        .put("collector", new JsonObject().put("host", HOST).put("intervalMs", 1_000)
          .put("trans", new JsonObject().put("enabled", false).put("address", "127.0.0.1:1"))
          .put("saver", new JsonObject().put("address", "127.0.0.1:" + ports.server("saver"))));
      String collector = deploy(vertx, collectorConfig);

      await().atMost(30, TimeUnit.SECONDS).until(() -> "reporting".equals(status(database)) && database.count(
        "SELECT interval_ms FROM samples_hosts WHERE host = ?", HOST) == 1_000);
      undeploy(vertx, collector);
      long stopped = System.nanoTime();
      await().atMost(30, TimeUnit.SECONDS).until(() -> "late".equals(status(database)));
      await().atMost(30, TimeUnit.SECONDS).until(() -> "silent".equals(status(database)));
      long silentAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
      await().atMost(10, TimeUnit.SECONDS).until(() -> alerts.size() == 1);
      assertEquals(HOST, alerts.get(0).getJsonObject("labels").getString("host"));
      assertFalse(alerts.get(0).containsKey("endsAt"));

      collector = deploy(vertx, collectorConfig);
      await().atMost(30, TimeUnit.SECONDS).until(() -> "reporting".equals(status(database)));
      await().atMost(10, TimeUnit.SECONDS).until(() -> alerts.size() == 2);
      assertTrue(alerts.get(1).containsKey("endsAt"), alerts.toString());
      assertEquals(HOST, alerts.get(1).getJsonObject("labels").getString("host"));
      assertTrue(silentAfter >= 3_000, "silent " + silentAfter + " ms after the collector stopped, before silentAfterMs");
      undeploy(vertx, collector);
      undeploy(vertx, saver);
      assertEquals(2, alerts.size(), alerts.toString());
    } finally {
      get(alertmanager.close());
    }
  }

  private static String status(TestDatabase database) {
    var rows = database.query("SELECT status FROM samples_hosts WHERE host = ?", HOST);
    return rows.isEmpty() ? null : rows.get(0).getString(0);
  }

  private static String deploy(Vertx vertx, JsonObject config) throws Exception {
    return get(vertx.deployVerticle(new NbnetVerticle(NbnetConfig.parse(config))));
  }

  private static void undeploy(Vertx vertx, String deployment) throws Exception {
    get(vertx.undeploy(deployment));
  }

  private static <T> T get(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
