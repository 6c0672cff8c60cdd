package io.nbnet.launcher.testing;

import io.nbnet.launcher.NbnetConfig;
import io.nbnet.launcher.NbnetVerticle;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A saver on a test database and a collector of host {@code host} sending to it, with the push port
 * (and StatsD) configured by {@code push}: what applications push reaches MySQL the way sampled numbers do.
 */
public final class PushPipeline implements AutoCloseable {

  private final Vertx vertx;
  private final List<String> deployments = new ArrayList<>();
  private final int pushPort;
  private final int statsdPort;

  public PushPipeline(Vertx vertx, TestDatabase database, String host, JsonObject push) throws Exception {
    this.vertx = vertx;
    try (LoggedPorts ports = LoggedPorts.capture()) {
      deployments.add(deploy(new JsonObject().put("components", new JsonArray().add("saver"))
        .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig())
          .put("http", new JsonObject().put("port", 0)))));
      int saverPort = ports.server("saver");
      deployments.add(deploy(new JsonObject().put("components", new JsonArray().add("collector"))
        .put("collector", new JsonObject().put("host", host).put("intervalMs", 1_000)
          .put("sources", new JsonObject().put("percpu", false))
          .put("trans", new JsonObject().put("enabled", false).put("address", "127.0.0.1:1"))
          .put("saver", new JsonObject().put("address", "127.0.0.1:" + saverPort))
          .put("push", push))));
      pushPort = ports.server("push");
      statsdPort = push.getJsonObject("statsd", new JsonObject()).getBoolean("enabled", false) ? ports.server("statsd") : -1;
    }
  }

  public int pushPort() {
    return pushPort;
  }

  public int statsdPort() {
    return statsdPort;
  }

  @Override
  public void close() throws Exception {
    for (String deployment : deployments) {
      Await.result(vertx.undeploy(deployment), 60);
    }
  }

  private String deploy(JsonObject config) throws Exception {
    return Await.result(vertx.deployVerticle(new NbnetVerticle(NbnetConfig.parse(config))), 60);
  }
}
