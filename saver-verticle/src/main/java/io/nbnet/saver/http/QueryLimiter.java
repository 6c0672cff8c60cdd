package io.nbnet.saver.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * At most {@code max} queries at once, so readers never take the database from the saver's writes;
 * the rest wait in line up to {@code waitMillis} (at most {@code 8 * max} of them), then are refused.
 * Used from one event loop.
 */
final class QueryLimiter {

  /** Refused: too many queries running and waiting. */
  static final class BusyException extends RuntimeException {
    BusyException(String message) {
      super(message, null, false, false);
    }
  }

  private record Waiting(Promise<Void> turn, long timer) {
  }

  private final Vertx vertx;
  private final int max;
  private final long waitMillis;
  private final Deque<Waiting> line = new ArrayDeque<>();
  private int running;

  QueryLimiter(Vertx vertx, int max, long waitMillis) {
    this.vertx = vertx;
    this.max = max;
    this.waitMillis = waitMillis;
  }

  <T> Future<T> run(Supplier<Future<T>> query) {
    return turn().compose(v -> {
      Future<T> result;
      try {
        result = query.get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      return result.andThen(done -> next());
    });
  }

  private Future<Void> turn() {
    if (running < max) {
      running++;
      return Future.succeededFuture();
    }
    if (line.size() >= 8 * max) {
      return Future.failedFuture(new BusyException(max + " queries running and " + line.size() + " waiting; try again shortly"));
    }
    Promise<Void> turn = Promise.promise();
    Waiting[] self = new Waiting[1];
    long timer = vertx.setTimer(Math.max(1, waitMillis), id -> {
      if (line.remove(self[0])) {
        turn.tryFail(new BusyException(max + " queries running; this one waited " + waitMillis + " ms: try again shortly"));
      }
    });
    self[0] = new Waiting(turn, timer);
    line.add(self[0]);
    return turn.future();
  }

  private void next() {
    Waiting waiting = line.poll();
    if (waiting == null) {
      running--;
      return;
    }
    vertx.cancelTimer(waiting.timer());
    waiting.turn().complete();
  }
}
