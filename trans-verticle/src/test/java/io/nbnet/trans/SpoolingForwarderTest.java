package io.nbnet.trans;

import io.nbnet.buffer.Outbox;
import io.nbnet.buffer.SpoolConfig;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.testing.Await;
import io.nbnet.wire.ErrorKind;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.Peer;
import io.nbnet.wire.Replies;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Trans's spool on its own, on a real spool folder, in front of savers that take frames, refuse them for
 * good, or cannot be reached, as the test sets: what the sender hears, what is spooled, replayed and
 * dead-lettered.
 */
@ExtendWith(VertxExtension.class)
class SpoolingForwarderTest {

  /** Savers as the test sets them: reachable or not, and the payloads they refuse for good. */
  private final class Savers implements Forwarder {
    volatile boolean reachable = true;
    /** As a real saver does: after refusing a frame for good it closes the connection, failing the frames sent behind it. */
    volatile boolean closesAfterRefusal;
    final Set<String> refused = ConcurrentHashMap.newKeySet();
    final List<String> stored = new CopyOnWriteArrayList<>();

    @Override
    public Future<Buffer> forward(Buffer payload) {
      if (!reachable) {
        return Future.failedFuture(FrameException.unavailable("no saver answers", null));
      }
      if (refused.contains(payload.toString())) {
        return Future.failedFuture(FrameException.invalid("refused " + payload));
      }
      stored.add(payload.toString());
      return Future.succeededFuture(Replies.ok("stored"));
    }

    @Override
    public Future<List<Buffer>> forwardInOrder(List<Buffer> payloads) {
      if (!reachable) {
        return Future.failedFuture(FrameException.unavailable("no saver answers", null));
      }
      List<Buffer> replies = new ArrayList<>();
      for (Buffer payload : payloads) {
        if (closesAfterRefusal && refused.contains(payload.toString()) && replies.size() + 1 < payloads.size()) {
          return Future.failedFuture(FrameException.unavailable("connection closed", null));
        }
        replies.add(forward(payload).otherwise(failure -> Replies.error((FrameException) failure)).result());
      }
      return Future.succeededFuture(replies);
    }

    @Override
    public void close() {
    }
  }

  private final Savers savers = new Savers();
  private Context context;
  private Outbox spool;
  private SpoolingForwarder forwarder;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path folder) {
    SpoolConfig config = SpoolConfig.from(ConfigView.of(new JsonObject().put("dir", folder.toString()).put("fsync", "always"), "spool"))
      .orElseThrow();
    context = vertx.getOrCreateContext();
    spool = onContext(() -> Outbox.open(vertx, "test spool", 0, java.util.Optional.of(config)));
    forwarder = onContext(() -> {
      SpoolingForwarder started = new SpoolingForwarder(vertx, savers, spool);
      started.start();
      return Future.succeededFuture(started);
    });
  }

  @AfterEach
  void stop() {
    onContext(() -> forwarder.stop());
  }

  @Test
  @DisplayName("while a saver takes frames the sender gets its OK and nothing is spooled")
  void passesThroughWhileSaversAnswer() {
    assertEquals("OK stored", send("a"));
    assertEquals(0, spool.stats().spooled());
    assertEquals(List.of("a"), savers.stored);
  }

  @Test
  @DisplayName("with no saver the frames are spooled and acknowledged; once one answers they are replayed in order and the spool drains")
  void spoolsThenReplaysInOrder() {
    savers.reachable = false;
    for (String frame : List.of("1", "2", "3")) {
      assertEquals("OK spooled", send(frame));
    }
    assertEquals(3, spool.stats().spooled());
    savers.reachable = true;
    await().atMost(30, TimeUnit.SECONDS).until(() -> savers.stored.size() == 3);
    assertEquals(List.of("1", "2", "3"), savers.stored);
    await().atMost(5, TimeUnit.SECONDS).until(() -> !spool.hasWaiting());
  }

  @Test
  @DisplayName("a spooled frame a saver refuses for good goes to the dead letters, and the frames behind it are delivered")
  void refusedSpooledFramesBecomeDeadLetters() {
    savers.reachable = false;
    for (String frame : List.of("1", "poison", "3")) {
      send(frame);
    }
    savers.refused.add("poison");
    savers.reachable = true;
    await().atMost(30, TimeUnit.SECONDS).until(() -> savers.stored.size() == 2);
    assertEquals(List.of("1", "3"), savers.stored);
    await().atMost(5, TimeUnit.SECONDS).until(() -> spool.stats().deadLetters() == 1);
  }

  @Test
  @DisplayName("a refused frame whose refusal closes the connection does not block the spool: it is dead-lettered, the rest delivered")
  void refusalThatClosesDoesNotBlockTheSpool() {
    savers.reachable = false;
    for (String frame : List.of("1", "poison", "3", "4")) {
      send(frame);
    }
    savers.refused.add("poison");
    savers.closesAfterRefusal = true;
    savers.reachable = true;
    await().atMost(30, TimeUnit.SECONDS).until(() -> spool.stats().deadLetters() == 1 && !spool.hasWaiting());
    // the frame answered before the connection closed may be sent again: the saver's keyed rows keep one copy
    assertEquals(List.of("1", "3", "4"), savers.stored.stream().distinct().toList());
  }

  @Test
  @DisplayName("a frame the savers refuse for good is never spooled: the refusal goes back to the sender")
  void refusalsAreNotSpooled() {
    savers.refused.add("bad");
    FrameException refused = assertThrows(FrameException.class, () -> send("bad"));
    assertEquals(ErrorKind.INVALID, refused.kind());
    assertEquals(0, spool.stats().spooled());
  }

  private String send(String payload) {
    return onContext(() -> forwarder.handle(Buffer.buffer(payload), Peer.EVENT_BUS)).toString();
  }

  private <T> T onContext(Supplier<Future<T>> call) {
    return Await.result(Future.<T>future(done -> context.runOnContext(v -> call.get().onComplete(done))));
  }
}
