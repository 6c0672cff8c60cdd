package io.nbnet.trans;

import io.nbnet.support.config.Section;
import io.nbnet.wire.FrameServer;
import io.nbnet.wire.FrameServerConfig;
import io.nbnet.wire.Replies;
import io.nbnet.wire.testing.RawFrameSocket;
import io.nbnet.wire.testing.Relay;
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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Trans with a spool, between real sockets. */
@ExtendWith(VertxExtension.class)
class TransSpoolTest {

  @Test
  @DisplayName("with every saver down, frames are spooled and acknowledged; once a saver answers they are replayed in order")
  void spoolsAndReplays(Vertx vertx, @TempDir Path folder) throws Exception {
    Relay saver = Relay.start(vertx);
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", 0).put("saverDownMs", 100)
      .put("savers", new JsonArray().add("127.0.0.1:" + saver.port()))
      .put("spool", new JsonObject().put("dir", folder.toString()).put("fsync", "always"));
    TransVerticle trans = new TransVerticle(Section.parse(config, "trans", TransConfig::from));
    String deployment = vertx.deployVerticle(trans)
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    int transPort = trans.actualPort();

    List<String> sent = new ArrayList<>();
    try (RawFrameSocket client = new RawFrameSocket(transPort)) {
      for (int i = 0; i < 20; i++) {
        String frame = String.format("frame-%02d", i);
        assertEquals("OK spooled", client.request(frame));
        sent.add(frame);
      }
    }
    List<String> stored = new CopyOnWriteArrayList<>();
    saver.up(new FrameServer(vertx, "saver-stand-in", FrameServerConfig.defaults("127.0.0.1", 0).withMaxFrameBytes(1 << 20),
      (payload, peer) -> {
        stored.add(payload.toString());
        return Future.succeededFuture(Replies.ok());
      }).listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort());

    await().atMost(15, TimeUnit.SECONDS).until(() -> stored.size() >= sent.size());
    assertEquals(sent, stored);
    try (RawFrameSocket client = new RawFrameSocket(transPort)) {
      assertEquals("OK", client.request("live frame"), "with the saver back, OK comes from the saver again");
    }
    vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    saver.close();
  }
}
