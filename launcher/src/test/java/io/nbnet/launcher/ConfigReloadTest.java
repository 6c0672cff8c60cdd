package io.nbnet.launcher;

import io.nbnet.support.testing.LogCapture;
import io.nbnet.wire.FrameServer;
import io.nbnet.wire.FrameServerConfig;
import io.nbnet.wire.Replies;
import io.vertx.core.Future;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration file changes under a running process. */
@ExtendWith(VertxExtension.class)
class ConfigReloadTest {

  private LogCapture log;

  @TempDir
  Path folder;

  @BeforeEach
  void captureLog() {
    log = LogCapture.of(ConfigReloader.class.getName(), NbnetVerticle.class.getName());
  }

  @AfterEach
  void releaseLog() {
    log.close();
  }

  @Test
  @DisplayName("the collector's interval changes without a restart; an invalid new file is refused with a log line and the old config stays")
  void reloadsAndRefuses(Vertx vertx) throws Exception {
    AtomicInteger frames = new AtomicInteger();
    int saverPort = new FrameServer(vertx, "saver-stand-in", FrameServerConfig.defaults("127.0.0.1", 0).withMaxFrameBytes(1 << 22).withIdleTimeoutMillis(5_000).withMaxPendingPerConnection(64), (payload, peer) -> {
      frames.incrementAndGet();
      return Future.succeededFuture(Replies.ok());
    }).listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    Path file = folder.resolve("nbnet.json");
    Files.writeString(file, config(saverPort, 5_000).encodePrettily());
    vertx.deployVerticle(new NbnetVerticle(NbnetConfig.parse(new JsonObject(Files.readString(file))), file))
      .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    int atStart = frames.get();
    await("every 5 s: at most the first sampling in a second").during(1, TimeUnit.SECONDS).atMost(2, TimeUnit.SECONDS)
      .until(() -> frames.get() - atStart <= 1);
    Files.writeString(file, config(saverPort, 100).encodePrettily());
    awaitLogged("the configuration file changed; applying it");
    awaitFrames(frames, 8, "every 100 ms now, without a restart");

    Files.writeString(file, "{\"components\": [\"collector\"], ");
    awaitLogged("refused the new configuration in " + file + ": not valid JSON");
    Files.writeString(file, config(saverPort, 5_000).put("colector", new JsonObject()).encodePrettily());
    awaitLogged("refused the new configuration in " + file + ": colector: unknown key");
    awaitFrames(frames, 8, "the running configuration stays");
  }

  private static JsonObject config(int saverPort, long intervalMs) {
    return new JsonObject().put("components", new JsonArray().add("collector"))
      .put("reload", new JsonObject().put("scanPeriodMs", 100))
      .put("collector", new JsonObject().put("intervalMs", intervalMs)
        .put("trans", new JsonObject().put("enabled", false))
        .put("saver", new JsonObject().put("address", "127.0.0.1:" + saverPort)));
  }

  /** {@code count} more frames within 5 s: at a 100 ms interval they take about a second, at 5 s they would take 40. */
  private static void awaitFrames(AtomicInteger frames, int count, String why) {
    int before = frames.get();
    await(why).atMost(5, TimeUnit.SECONDS).until(() -> frames.get() - before >= count);
  }

  private void awaitLogged(String text) {
    await("logs \"" + text + "\"").atMost(10, TimeUnit.SECONDS).until(() -> log.lines().stream().anyMatch(line -> line.contains(text)));
  }
}
