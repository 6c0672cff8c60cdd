package io.nbnet.collector.ship;

import io.nbnet.buffer.Outbox;
import io.nbnet.buffer.SpoolConfig;
import io.nbnet.wire.FrameClient;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.FrameServer;
import io.nbnet.wire.FrameServerConfig;
import io.nbnet.wire.Replies;
import io.nbnet.wire.RequestHandler;
import io.nbnet.wire.testing.Relay;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class FrameShipperTest {

  private static final ShipperConfig OPTIONS = new ShipperConfig(100, 4, 5_000, 50, 200, 1 << 20);

  private final List<String> stored = new CopyOnWriteArrayList<>();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private Relay relay;

  @BeforeEach
  void startRelay(Vertx vertx) throws Exception {
    relay = Relay.start(vertx);
  }

  @AfterEach
  void stopRelay() throws Exception {
    relay.close();
  }

  @Test
  @DisplayName("frames shipped while the next hop is down wait, then arrive in order once it is up")
  void deliversAfterTheHopComesUp(Vertx vertx) throws Exception {
    int server = startServer(vertx, acceptAll());
    Context context = vertx.getOrCreateContext();
    FrameShipper shipper = shipper(vertx, context, OPTIONS, Optional.empty());
    context.runOnContext(v -> List.of("1", "2", "3", "4", "5").forEach(p -> shipper.ship(Buffer.buffer(p))));
    await().atMost(10, TimeUnit.SECONDS).until(() -> shipper.stats().retries() >= 2);
    assertTrue(stored.isEmpty(), "the server exists, but nothing reached it while the hop was down");
    relay.up(server);
    await().atMost(10, TimeUnit.SECONDS).until(() -> stored.size() == 5);
    assertEquals(List.of("1", "2", "3", "4", "5"), stored);
    await().atMost(10, TimeUnit.SECONDS).until(() -> shipper.stats().acknowledged() == 5);
  }

  @Test
  @DisplayName("a frame answered 'ERR unavailable' is kept and sent again until it is stored")
  void retriesUnavailable(Vertx vertx) throws Exception {
    AtomicInteger refusals = new AtomicInteger(2);
    relay.up(startServer(vertx, (payload, peer) -> {
      received.add(payload.toString());
      if (refusals.getAndDecrement() > 0) {
        return Future.failedFuture(FrameException.unavailable("database down", null));
      }
      stored.add(payload.toString());
      return Future.succeededFuture(Replies.ok());
    }));
    Context context = vertx.getOrCreateContext();
    // one frame in flight: with more, frames behind a refused one may be stored and then sent again (harmless, rows are keyed)
    FrameShipper shipper = shipper(vertx, context, new ShipperConfig(100, 1, 5_000, 50, 200, 1 << 20), Optional.empty());
    context.runOnContext(v -> List.of("a", "b", "c").forEach(p -> shipper.ship(Buffer.buffer(p))));
    await().atMost(10, TimeUnit.SECONDS).until(() -> stored.size() == 3);
    assertEquals(List.of("a", "b", "c"), stored);
    assertTrue(received.stream().filter("a"::equals).count() >= 2, () -> "a should have been sent again: " + received);
    await().atMost(10, TimeUnit.SECONDS).until(() -> shipper.stats().acknowledged() == 3);
  }

  @Test
  @DisplayName("a frame refused for good goes to the spool's dead letters; the frames behind it are delivered")
  void deadLettersRefusedFrame(Vertx vertx, @TempDir Path folder) throws Exception {
    relay.up(startServer(vertx, (payload, peer) -> {
      if (payload.toString().equals("poison")) {
        return Future.failedFuture(FrameException.invalid("cannot store poison"));
      }
      stored.add(payload.toString());
      return Future.succeededFuture(Replies.ok());
    }));
    Context context = vertx.getOrCreateContext();
    FrameShipper shipper = shipper(vertx, context, OPTIONS, Optional.of(spool(folder, SpoolConfig.Fsync.NEVER)));
    context.runOnContext(v -> List.of("x", "poison", "y", "z").forEach(p -> shipper.ship(Buffer.buffer(p))));
    await().atMost(10, TimeUnit.SECONDS).until(() -> stored.size() == 3);
    assertEquals(List.of("x", "y", "z"), stored);
    assertEquals(1L, shipper.stats().rejected());
    await().atMost(10, TimeUnit.SECONDS).until(() -> shipper.buffer().stats().deadLetters() == 1);
    onContext(context, shipper::stop).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a frame the hop refuses with a protocol error (too large for it) does not stop delivery for good")
  void deadLettersProtocolErrors(Vertx vertx) throws Exception {
    FrameServerConfig small = FrameServerConfig.defaults("127.0.0.1", 0).withMaxFrameBytes(64);
    relay.up(new FrameServer(vertx, "hop", small, acceptAll()).listen().toCompletionStage().toCompletableFuture()
      .get(10, TimeUnit.SECONDS).actualPort());
    Context context = vertx.getOrCreateContext();
    FrameShipper shipper = shipper(vertx, context, new ShipperConfig(100, 1, 5_000, 50, 200, 1 << 20), Optional.empty());
    context.runOnContext(v -> List.of("before", "x".repeat(100), "after").forEach(p -> shipper.ship(Buffer.buffer(p))));
    await().atMost(10, TimeUnit.SECONDS).until(() -> stored.size() == 2);
    assertEquals(List.of("before", "after"), stored);
    assertEquals(1L, shipper.buffer().stats().deadLettered());
  }

  @Test
  @DisplayName("past the memory limit, without a spool, the oldest frames are dropped and counted")
  void boundsTheQueue(Vertx vertx) throws Exception {
    Context context = vertx.getOrCreateContext();
    FrameShipper shipper = shipper(vertx, context, new ShipperConfig(3, 4, 5_000, 50, 200, 1 << 20), Optional.empty());
    context.runOnContext(v -> List.of("1", "2", "3", "4", "5").forEach(p -> shipper.ship(Buffer.buffer(p))));
    await().atMost(10, TimeUnit.SECONDS).until(() -> shipper.buffer().stats().dropped() == 2);
    relay.up(startServer(vertx, acceptAll()));
    await().atMost(10, TimeUnit.SECONDS).until(() -> stored.size() == 3);
    assertEquals(List.of("3", "4", "5"), stored);
  }

  @Test
  @DisplayName("with a spool, frames past the memory limit wait on disk, survive a stop and a new start, and all arrive once")
  void spoolsAcrossRestarts(Vertx vertx, @TempDir Path folder) throws Exception {
    SpoolConfig spool = spool(folder, SpoolConfig.Fsync.ALWAYS);
    ShipperConfig fiveInMemory = new ShipperConfig(5, 4, 5_000, 50, 200, 1 << 20);
    Context first = vertx.getOrCreateContext();
    FrameShipper before = shipper(vertx, first, fiveInMemory, Optional.of(spool));
    first.runOnContext(v -> {
      for (int i = 0; i < 50; i++) {
        before.ship(Buffer.buffer("frame-" + i));
      }
    });
    await().atMost(10, TimeUnit.SECONDS).until(() -> before.buffer().stats().spooled() == 45);
    assertEquals(5, before.buffer().stats().queued());
    onContext(first, before::stop).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    relay.up(startServer(vertx, acceptAll()));
    Context second = vertx.getOrCreateContext();
    FrameShipper after = shipper(vertx, second, fiveInMemory, Optional.of(spool));
    await().atMost(10, TimeUnit.SECONDS).until(() -> stored.size() >= 50 && after.buffer().stats().spooled() == 0);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add("frame-" + i);
    }
    // memory held the oldest five at the stop: they were written to the spool after the frames already there
    assertEquals(new HashSet<>(expected), new HashSet<>(stored), "every frame arrived");
    assertEquals(50, stored.size(), "none twice");
    onContext(second, after::stop).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("while the hop is away memory holds only its limit; the rest goes to the spool and is sent in order when it returns")
  void spoolsWhileTheHopIsAway(Vertx vertx, @TempDir Path folder) throws Exception {
    Context context = vertx.getOrCreateContext();
    FrameShipper shipper = shipper(vertx, context, new ShipperConfig(10, 1, 5_000, 50, 200, 1 << 20),
      Optional.of(spool(folder, SpoolConfig.Fsync.NEVER)));
    context.runOnContext(v -> {
      for (int i = 0; i < 200; i++) {
        shipper.ship(Buffer.buffer(String.format("frame-%03d", i)));
      }
    });
    await().atMost(10, TimeUnit.SECONDS).until(() -> shipper.buffer().stats().spooled() == 190);
    // a frame out on a send attempt is not counted in memory meanwhile
    assertTrue(shipper.buffer().stats().queued() <= 10, "memory holds at most its limit: " + shipper.buffer().stats().queued());
    relay.up(startServer(vertx, acceptAll()));
    await().atMost(10, TimeUnit.SECONDS).until(() -> stored.size() == 200);
    List<String> sorted = new ArrayList<>(stored);
    sorted.sort(null);
    assertEquals(sorted, stored, "one frame in flight at a time: delivered in the order shipped");
    await().atMost(10, TimeUnit.SECONDS).until(() -> shipper.buffer().stats().spooled() == 0);
    onContext(context, shipper::stop).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private FrameShipper shipper(Vertx vertx, Context context, ShipperConfig options, Optional<SpoolConfig> spool) throws Exception {
    Outbox buffer = onContext(context, () -> Outbox.open(vertx, "test", options.maxQueuedFrames(), spool))
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return onContext(context, () -> {
      FrameShipper shipper = new FrameShipper(vertx, FrameClient.connector(vertx, vertx.createNetClient(), "127.0.0.1", relay.port(),
        options.maxFrameBytes(), options.replyTimeoutMillis()), options, buffer);
      shipper.start();
      return shipper;
    });
  }

  private static SpoolConfig spool(Path folder, SpoolConfig.Fsync fsync) {
    return new SpoolConfig(folder, 1 << 20, 1 << 16, fsync, 1000, SpoolConfig.WhenFull.DROP_OLDEST, 1 << 20);
  }

  private RequestHandler acceptAll() {
    return (payload, peer) -> {
      stored.add(payload.toString());
      return Future.succeededFuture(Replies.ok());
    };
  }

  private static int startServer(Vertx vertx, RequestHandler handler) throws Exception {
    return new FrameServer(vertx, "hop", FrameServerConfig.defaults("127.0.0.1", 0).withMaxFrameBytes(1 << 20), handler)
      .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  private static <T> T onContext(Context context, Callable<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(action.call());
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(10, TimeUnit.SECONDS);
  }
}
