package io.nbnet.trans;

import io.nbnet.support.config.Section;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.FrameServer;
import io.nbnet.wire.FrameServerConfig;
import io.nbnet.wire.Replies;
import io.nbnet.wire.RequestHandler;
import io.nbnet.wire.testing.RawFrameSocket;
import io.nbnet.wire.testing.Relay;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trans between real sockets: a test client in front, frame servers standing in for savers behind. */
@ExtendWith(VertxExtension.class)
class TransTest {

  private final List<String> storedByFirst = new CopyOnWriteArrayList<>();
  private final List<String> storedBySecond = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> secondSaverMode = new AtomicReference<>("ok");
  private Relay firstSaver;
  private int transPort;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    firstSaver = Relay.start(vertx);
    int secondSaverPort = startSaver(vertx, (payload, peer) -> switch (secondSaverMode.get()) {
      case "slow" -> {
        Promise<Buffer> reply = Promise.promise();
        vertx.setTimer(300, id -> {
          storedBySecond.add(payload.toString());
          reply.complete(Replies.ok());
        });
        yield reply.future();
      }
      case "unavailable" -> Future.failedFuture(FrameException.unavailable("MySQL is down", null));
      case "invalid" -> Future.failedFuture(FrameException.invalid("not a frame I can store"));
      default -> {
        storedBySecond.add(payload.toString());
        yield Future.succeededFuture(Replies.ok("stored by second"));
      }
    }).actualPort();
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", 0).put("saverDownMs", 200)
      .put("savers", new JsonArray().add("127.0.0.1:" + firstSaver.port()).add("127.0.0.1:" + secondSaverPort));
    TransVerticle trans = new TransVerticle(Section.parse(config, "trans", TransConfig::from));
    vertx.deployVerticle(trans).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    transPort = trans.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    firstSaver.close();
  }

  @Test
  @DisplayName("with the first saver down, frames go to the next one, unchanged, and its OK comes back")
  void failsOverToTheNextSaver() throws Exception {
    try (RawFrameSocket client = new RawFrameSocket(transPort)) {
      assertEquals("OK stored by second", client.request("{\"Host\": \"h1\"}"));
      assertEquals("OK stored by second", client.request("NB1\ts\t1\n"));
    }
    assertEquals(List.of("{\"Host\": \"h1\"}", "NB1\ts\t1\n"), storedBySecond);
  }

  @Test
  @DisplayName("the first saver takes the frames while it is up; when it stops, the second takes over")
  void prefersTheFirstSaverWhileItIsUp(Vertx vertx) throws Exception {
    firstSaver.up(startSaver(vertx, (payload, peer) -> {
      storedByFirst.add(payload.toString());
      return Future.succeededFuture(Replies.ok("stored by first"));
    }).actualPort());
    try (RawFrameSocket client = new RawFrameSocket(transPort)) {
      assertEquals("OK stored by first", client.request("one"));
      firstSaver.down();
      assertEquals("OK stored by second", client.request("two"));
    }
    assertEquals(List.of("one"), storedByFirst);
    assertEquals(List.of("two"), storedBySecond);
  }

  @Test
  @DisplayName("the sender's OK comes only after the saver's OK")
  void acknowledgesAfterTheSaver() throws Exception {
    secondSaverMode.set("slow");
    try (RawFrameSocket client = new RawFrameSocket(transPort)) {
      long start = System.nanoTime();
      assertEquals("OK", client.request("slow frame"));
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
      assertEquals(List.of("slow frame"), storedBySecond);
    }
  }

  @Test
  @DisplayName("when no saver can store the frame the sender gets 'ERR unavailable' and may retry on the same connection")
  void reportsUnavailable() throws Exception {
    secondSaverMode.set("unavailable");
    try (RawFrameSocket client = new RawFrameSocket(transPort)) {
      String reply = client.request("frame");
      assertTrue(reply.startsWith("ERR unavailable: no saver could take the frame"), reply);
      secondSaverMode.set("ok");
      // the second saver is skipped for 200 ms after its refusal, then tried again
      await().atMost(5, TimeUnit.SECONDS).pollInterval(50, TimeUnit.MILLISECONDS)
        .until(() -> client.request("frame").equals("OK stored by second"));
    }
  }

  @Test
  @DisplayName("a saver's 'ERR invalid' goes back to the sender, whose connection is then closed")
  void passesInvalidBack() throws Exception {
    secondSaverMode.set("invalid");
    try (RawFrameSocket client = new RawFrameSocket(transPort)) {
      assertEquals("ERR invalid: not a frame I can store", client.request("junk"));
      assertTrue(client.closedByPeer());
    }
    assertFalse(storedBySecond.contains("junk"));
  }

  private static FrameServer startSaver(Vertx vertx, RequestHandler handler) throws Exception {
    return new FrameServer(vertx, "saver-stand-in", FrameServerConfig.defaults("127.0.0.1", 0).withMaxFrameBytes(1 << 20), handler)
      .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
