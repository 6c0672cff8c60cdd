package io.nbnet.collector.ship;

import io.nbnet.support.config.Endpoint;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.FrameHandler;
import io.nbnet.wire.FrameServer;
import io.nbnet.wire.FrameServerOptions;
import io.nbnet.wire.Replies;
import io.nbnet.wire.testing.FreePort;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.nbnet.buffer.SpoolOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class FrameShipperTest {

  private static final ShipperOptions OPTIONS = new ShipperOptions(100, 4, 5_000, 50, 200, 1 << 20);

  private final List<String> stored = new CopyOnWriteArrayList<>();
  private final List<String> received = new CopyOnWriteArrayList<>();

  @Test
  @DisplayName("frames shipped while the next hop is down wait, then arrive in order once it is up")
  void deliversAfterTheHopComesUp(Vertx vertx) throws Exception {
    int port = FreePort.find();
    Context context = vertx.getOrCreateContext();
    FrameShipper shipper = new FrameShipper(vertx, vertx.createNetClient(), new Endpoint("127.0.0.1", port), OPTIONS, null);
    context.runOnContext(v -> List.of("1", "2", "3", "4", "5").forEach(p -> shipper.ship(Buffer.buffer(p))));
    Thread.sleep(300);
    assertTrue(stored.isEmpty());
    startServer(vertx, port, acceptAll());
    await(() -> stored.size() == 5);
    assertEquals(List.of("1", "2", "3", "4", "5"), stored);
    await(() -> onContext(context, () -> shipper.stats().acknowledged()) == 5);
    assertTrue(onContext(context, () -> shipper.stats().retries()) >= 1);
  }

  @Test
  @DisplayName("a frame answered 'ERR unavailable' is kept and sent again until it is stored")
  void retriesUnavailable(Vertx vertx) throws Exception {
    int port = FreePort.find();
    AtomicInteger refusals = new AtomicInteger(2);
    startServer(vertx, port, (payload, peer) -> {
      received.add(payload.toString());
      if (refusals.getAndDecrement() > 0) {
        return Future.failedFuture(FrameException.unavailable("database down", null));
      }
      stored.add(payload.toString());
      return Future.succeededFuture(Replies.ok());
    });
    Context context = vertx.getOrCreateContext();
    // one frame in flight: with more, frames behind a refused one may be stored and then sent again (harmless, rows are keyed)
    ShipperOptions oneAtATime = new ShipperOptions(100, 1, 5_000, 50, 200, 1 << 20);
    FrameShipper shipper = new FrameShipper(vertx, vertx.createNetClient(), new Endpoint("127.0.0.1", port), oneAtATime, null);
    context.runOnContext(v -> List.of("a", "b", "c").forEach(p -> shipper.ship(Buffer.buffer(p))));
    await(() -> stored.size() == 3);
    assertEquals(List.of("a", "b", "c"), stored);
    assertTrue(received.stream().filter("a"::equals).count() >= 2, () -> "a should have been sent again: " + received);
    await(() -> onContext(context, () -> shipper.stats().acknowledged()) == 3);
  }

  @Test
  @DisplayName("a frame rejected as invalid is dropped and counted; the frames behind it are delivered")
  void dropsRejectedFrame(Vertx vertx) throws Exception {
    int port = FreePort.find();
    startServer(vertx, port, (payload, peer) -> {
      if (payload.toString().equals("poison")) {
        return Future.failedFuture(FrameException.invalid("cannot store poison"));
      }
      stored.add(payload.toString());
      return Future.succeededFuture(Replies.ok());
    });
    Context context = vertx.getOrCreateContext();
    FrameShipper shipper = new FrameShipper(vertx, vertx.createNetClient(), new Endpoint("127.0.0.1", port), OPTIONS, null);
    context.runOnContext(v -> List.of("x", "poison", "y", "z").forEach(p -> shipper.ship(Buffer.buffer(p))));
    await(() -> stored.size() == 3);
    assertEquals(List.of("x", "y", "z"), stored);
    assertEquals(1L, onContext(context, () -> shipper.stats().rejected()));
  }

  @Test
  @DisplayName("past the queue limit the oldest frames are dropped and counted")
  void boundsTheQueue(Vertx vertx) throws Exception {
    int port = FreePort.find();
    Context context = vertx.getOrCreateContext();
    ShipperOptions small = new ShipperOptions(3, 4, 5_000, 50, 200, 1 << 20);
    FrameShipper shipper = new FrameShipper(vertx, vertx.createNetClient(), new Endpoint("127.0.0.1", port), small, null);
    context.runOnContext(v -> List.of("1", "2", "3", "4", "5").forEach(p -> shipper.ship(Buffer.buffer(p))));
    await(() -> onContext(context, () -> shipper.stats().dropped()) == 2);
    startServer(vertx, port, acceptAll());
    await(() -> stored.size() == 3);
    assertEquals(List.of("3", "4", "5"), stored);
  }

  @Test
  @DisplayName("with a spool, frames past the memory limit wait on disk, survive a stop and a new start, and all arrive")
  void spoolsAcrossRestarts(Vertx vertx, @TempDir Path folder) throws Exception {
    int port = FreePort.find();
    SpoolOptions spool = new SpoolOptions(folder, 1 << 20, 1 << 16, SpoolOptions.Fsync.ALWAYS, 1000, SpoolOptions.WhenFull.DROP_OLDEST);
    ShipperOptions fiveInMemory = new ShipperOptions(5, 4, 5_000, 50, 200, 1 << 20);
    Context first = vertx.getOrCreateContext();
    FrameShipper before = onContext(first, () -> new FrameShipper(vertx, vertx.createNetClient(), new Endpoint("127.0.0.1", port), fiveInMemory, spool));
    onContext(first, () -> before.start()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    first.runOnContext(v -> {
      for (int i = 0; i < 50; i++) {
        before.ship(Buffer.buffer("frame-" + i));
      }
    });
    await(() -> onContext(first, () -> before.stats().spooled()) == 45);
    assertEquals(5, onContext(first, () -> before.stats().queued()));
    onContext(first, before::stop).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    startServer(vertx, port, acceptAll());
    Context second = vertx.getOrCreateContext();
    FrameShipper after = onContext(second, () -> new FrameShipper(vertx, vertx.createNetClient(), new Endpoint("127.0.0.1", port), fiveInMemory, spool));
    onContext(second, () -> after.start()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    await(() -> stored.size() >= 50);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add("frame-" + i);
    }
    assertEquals(new HashSet<>(expected), new HashSet<>(stored), "every frame arrived");
    assertEquals(50, stored.size(), "none twice");
    await(() -> onContext(second, () -> after.stats().spooled()) == 0);
    onContext(second, after::stop).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("while the hop is away memory holds only its limit; the rest goes to the spool and is sent in order when it returns")
  void spoolsWhileTheHopIsAway(Vertx vertx, @TempDir Path folder) throws Exception {
    int port = FreePort.find();
    SpoolOptions spool = new SpoolOptions(folder, 1 << 20, 1 << 16, SpoolOptions.Fsync.NEVER, 1000, SpoolOptions.WhenFull.DROP_OLDEST);
    Context context = vertx.getOrCreateContext();
    FrameShipper shipper = onContext(context, () -> new FrameShipper(vertx, vertx.createNetClient(), new Endpoint("127.0.0.1", port),
      new ShipperOptions(10, 1, 5_000, 50, 200, 1 << 20), spool));
    onContext(context, () -> shipper.start()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    context.runOnContext(v -> {
      for (int i = 0; i < 200; i++) {
        shipper.ship(Buffer.buffer(String.format("frame-%03d", i)));
      }
    });
    await(() -> onContext(context, () -> shipper.stats().spooled()) == 190);
    assertEquals(10, onContext(context, () -> shipper.stats().queued()));
    startServer(vertx, port, acceptAll());
    await(() -> stored.size() == 200);
    List<String> sorted = new ArrayList<>(stored);
    Collections.sort(sorted);
    assertEquals(sorted, stored, "one frame in flight at a time: delivered in the order shipped");
    await(() -> onContext(context, () -> shipper.stats().spooled()) == 0);
  }

  private FrameHandler acceptAll() {
    return (payload, peer) -> {
      stored.add(payload.toString());
      return Future.succeededFuture(Replies.ok());
    };
  }

  private static void startServer(Vertx vertx, int port, FrameHandler handler) throws Exception {
    new FrameServer(vertx, "hop", FrameServerOptions.defaults("127.0.0.1", port).withMaxFrameBytes(1 << 20).withIdleTimeoutMillis(5_000).withMaxPendingPerConnection(64), handler)
      .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> T onContext(Context context, java.util.concurrent.Callable<T> read) throws Exception {
    java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(read.call());
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(5, TimeUnit.SECONDS);
  }

  private static void await(Check condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(20);
    }
  }

  @FunctionalInterface
  private interface Check {
    boolean holds() throws Exception;
  }
}
