package io.nbnet.saver.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Keeps readers from taking the database from the saver's writes: at most {@code max} queries run at
 * once, and together they may run {@code timeShare} seconds per second, less while the writes wait for
 * the database (down to {@code busyShare} when they always do: readers yield to a backlog of writes)
 * (a budget of query time that
 * refills at that rate, up to one second's worth, and that every finished query draws its duration
 * from, down to one second's worth of debt, so one slow query does not shut the API for long). The rest wait in line up to {@code waitMillis} (at most {@code 8 * max} of them), then are
 * refused. Used from one event loop.
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

  private static final double BURST_MILLIS = 1_000;

  private final Vertx vertx;
  private final int max;
  private final long waitMillis;
  private final double timeShare;
  private final double busyShare;
  private final DoubleSupplier writesBusy;
  private final Deque<Waiting> line = new ArrayDeque<>();
  private int running;
  /** Milliseconds of query time that may still be spent; below 0 after a long query, until it refills. */
  private double budgetMillis;
  private long refilledNanos = System.nanoTime();
  private long drainTimer = -1;

  /**
   * @param busyShare  the share while the writes wait for the database all the time
   * @param writesBusy how much of the time lately the writes waited (0 to 1): the share goes from
   *                   {@code timeShare} down to {@code busyShare} as it rises
   */
  QueryLimiter(Vertx vertx, int max, long waitMillis, double timeShare, double busyShare, DoubleSupplier writesBusy) {
    this.vertx = vertx;
    this.max = max;
    this.waitMillis = waitMillis;
    this.timeShare = timeShare;
    this.busyShare = Math.min(busyShare, timeShare);
    this.writesBusy = writesBusy;
    this.budgetMillis = BURST_MILLIS * timeShare;
  }

  /** The share of time readers may take now. */
  private double share() {
    double busy = Math.max(0, Math.min(1, writesBusy.getAsDouble()));
    return busyShare + (timeShare - busyShare) * (1 - busy);
  }

  <T> Future<T> run(Supplier<Future<T>> query) {
    return turn().compose(v -> {
      long began = System.nanoTime();
      Future<T> result;
      try {
        result = query.get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      return result.andThen(done -> finished((System.nanoTime() - began) / 1e6));
    });
  }

  private Future<Void> turn() {
    refill();
    if (line.isEmpty() && mayStart()) {
      running++;
      return Future.succeededFuture();
    }
    if (line.size() >= 8 * max) {
      return Future.failedFuture(new BusyException(running + " queries running and " + line.size() + " waiting; try again shortly"));
    }
    Promise<Void> turn = Promise.promise();
    Waiting[] self = new Waiting[1];
    long timer = vertx.setTimer(Math.max(1, waitMillis), id -> {
      if (line.remove(self[0])) {
        turn.tryFail(new BusyException("queries running use their share of the database; this one waited " + waitMillis
          + " ms: try again shortly"));
      }
    });
    self[0] = new Waiting(turn, timer);
    line.add(self[0]);
    scheduleDrain();
    return turn.future();
  }

  private boolean mayStart() {
    return running < max && budgetMillis > 0;
  }

  private void finished(double tookMillis) {
    running--;
    budgetMillis = Math.max(-BURST_MILLIS * timeShare, budgetMillis - tookMillis);
    drain();
  }

  private void drain() {
    refill();
    while (!line.isEmpty() && mayStart()) {
      Waiting next = line.poll();
      vertx.cancelTimer(next.timer());
      running++;
      next.turn().complete();
    }
    if (!line.isEmpty() && running < max) {
      scheduleDrain();
    }
  }

  /** Looks at the line again once the budget is above 0 (a running query's end drains it too). */
  private void scheduleDrain() {
    if (drainTimer >= 0 || running >= max) {
      return;
    }
    long wait = budgetMillis > 0 ? 1 : (long) Math.ceil(-budgetMillis / share()) + 1;
    drainTimer = vertx.setTimer(wait, id -> {
      drainTimer = -1;
      drain();
    });
  }

  private void refill() {
    long now = System.nanoTime();
    double share = share();
    // the burst shrinks with the share too: readers cannot save up time while the writes wait
    budgetMillis = Math.min(BURST_MILLIS * share, budgetMillis + (now - refilledNanos) / 1e6 * share);
    refilledNanos = now;
  }
}
