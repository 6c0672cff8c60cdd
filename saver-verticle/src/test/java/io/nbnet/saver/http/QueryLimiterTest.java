package io.nbnet.saver.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API's admission: queries at once, query time per second, and a bounded wait. */
@ExtendWith(VertxExtension.class)
class QueryLimiterTest {

  /** As many as may run and wait in line at once with max 4: 1 s of query time in all. */
  private static final int QUERIES = 36;
  private static final long QUERY_MILLIS = 28;

  @Test
  @DisplayName("queries together run at most timeShare seconds per second (after a burst of one second's worth) and at most max at once")
  void queryTimeIsBudgeted(Vertx vertx) throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    // 1 s of query time at 0.5 s per second: a burst of 0.5 s, the 4 queries in flight when the budget ran out (112 ms),
    // and the rest at 0.5 s per second: at least (1008 - 500 - 112) / 0.5 = 792 ms
    long tookMillis = runAll(vertx, new QueryLimiter(vertx, 4, 60_000, 0.5, 0.5, () -> 0), running, mostAtOnce);
    assertTrue(tookMillis >= 780, "1 s of query time ran in " + tookMillis + " ms at 0.5 s per second");
    assertEquals(4, mostAtOnce.get());

    mostAtOnce.set(0);
    long unbudgeted = runAll(vertx, new QueryLimiter(vertx, 4, 60_000, 64, 64, () -> 0), running, mostAtOnce);
    System.out.printf("QueryLimiterTest: 1 s of query time took %d ms at 0.5 s per second, %d ms unbudgeted (4 at once)%n", tookMillis,
      unbudgeted);
    assertTrue(mostAtOnce.get() <= 4);
  }

  @Test
  @DisplayName("while the writes wait for the database, the readers' share falls to busyShare")
  void readersYieldToBusyWrites(Vertx vertx) throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    // 1 s of query time at 2 s per second takes about 1 s less the burst; with the writes always waiting, at 0.5 s per second
    long idle = runAll(vertx, new QueryLimiter(vertx, 4, 60_000, 2, 0.5, () -> 0), running, mostAtOnce);
    long busy = runAll(vertx, new QueryLimiter(vertx, 4, 60_000, 2, 0.5, () -> 1), running, mostAtOnce);
    System.out.printf("QueryLimiterTest: 1 s of query time took %d ms with idle writes, %d ms with busy writes%n", idle, busy);
    assertTrue(busy >= 780, "at busyShare 0.5 s per second, 1 s of query time ran in " + busy + " ms");
    assertTrue(idle < busy, "idle writes leave readers their full share: " + idle + " ms against " + busy);
  }

  @Test
  @DisplayName("a query that waits longer than waitMillis is refused as busy")
  void waitingIsBounded(Vertx vertx) throws Exception {
    QueryLimiter limiter = new QueryLimiter(vertx, 1, 50, 64, 64, () -> 0);
    Promise<Void> blocking = Promise.promise();
    CompletableFuture<Void> first = on(vertx, () -> limiter.run(blocking::future));
    CompletableFuture<Void> second = on(vertx, () -> limiter.run(() -> Future.succeededFuture()));
    Throwable refused = second.handle((v, failure) -> failure).get(10, TimeUnit.SECONDS);
    assertTrue(refused != null && refused.getCause() instanceof QueryLimiter.BusyException
      || refused instanceof QueryLimiter.BusyException, String.valueOf(refused));
    vertx.runOnContext(v -> blocking.complete());
    first.get(10, TimeUnit.SECONDS);
  }

  private static long runAll(Vertx vertx, QueryLimiter limiter, AtomicInteger running, AtomicInteger mostAtOnce) throws Exception {
    long began = System.nanoTime();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    CompletableFuture<Void> submitted = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      for (int i = 0; i < QUERIES; i++) {
        all.add(limiter.<Void>run(() -> {
          mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
          Promise<Void> done = Promise.promise();
          vertx.setTimer(QUERY_MILLIS, id -> {
            running.decrementAndGet();
            done.complete();
          });
          return done.future();
        }).toCompletionStage().toCompletableFuture());
      }
      submitted.complete(null);
    });
    submitted.get(10, TimeUnit.SECONDS);
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
  }

  private static CompletableFuture<Void> on(Vertx vertx, java.util.function.Supplier<Future<Void>> action) throws Exception {
    CompletableFuture<CompletableFuture<Void>> started = new CompletableFuture<>();
    vertx.runOnContext(v -> started.complete(action.get().toCompletionStage().toCompletableFuture()));
    return started.get(10, TimeUnit.SECONDS);
  }
}
