package io.nbnet.trans;

import io.nbnet.wire.FrameServer;
import io.nbnet.wire.FrameServerOptions;
import io.nbnet.wire.Replies;
import io.nbnet.wire.testing.FreePort;
import io.nbnet.wire.testing.RawFrameSocket;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Trans with a spool, between real sockets. */
@ExtendWith(VertxExtension.class)
class TransSpoolTest {

  @Test
  @DisplayName("with every saver down, frames are spooled and acknowledged; once a saver answers they are replayed in order")
  void spoolsAndReplays(Vertx vertx, @TempDir Path folder) throws Exception {
    int saverPort = FreePort.find();
    int transPort = FreePort.find();
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", transPort).put("saverDownMs", 100)
      .put("savers", new JsonArray().add("127.0.0.1:" + saverPort))
      .put("spool", new JsonObject().put("dir", folder.toString()).put("fsync", "always"));
    String deployment = vertx.deployVerticle(new TransVerticle(), new DeploymentOptions().setConfig(config))
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    List<String> sent = new ArrayList<>();
    try (RawFrameSocket client = new RawFrameSocket(transPort)) {
      for (int i = 0; i < 20; i++) {
        String frame = String.format("frame-%02d", i);
        assertEquals("OK spooled", client.request(frame));
        sent.add(frame);
      }
    }
    List<String> stored = new CopyOnWriteArrayList<>();
    new FrameServer(vertx, "saver-stand-in", FrameServerOptions.defaults("127.0.0.1", saverPort).withMaxFrameBytes(1 << 20).withIdleTimeoutMillis(5_000).withMaxPendingPerConnection(64), (payload, peer) -> {
      stored.add(payload.toString());
      return Future.succeededFuture(Replies.ok());
    }).listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (stored.size() < sent.size() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(sent, stored);
    try (RawFrameSocket client = new RawFrameSocket(transPort)) {
      assertEquals("OK", client.request("live frame"), "with the saver back, OK comes from the saver again");
    }
    vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
