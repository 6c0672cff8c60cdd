package io.nbnet.saver;

import io.nbnet.store.Store;
import io.vertx.core.Vertx;

import java.util.Collection;
import java.util.function.Supplier;

/**
 * How much of the time lately the writes have been waiting for the database: every
 * {@link #SAMPLE_MILLIS} ms each store is asked whether all its flush slots are taken with rows
 * waiting, and the answers are averaged over about {@link #SAMPLES_REMEMBERED} samples (a moving
 * average). The query API lowers the readers' share of time as this rises, so readers yield to a
 * backlog of writes and take their full share when there is none.
 */
final class IngestPressure {

  static final long SAMPLE_MILLIS = 100;
  /** About two seconds of samples: long enough to ride out one flush, short enough to follow a burst. */
  private static final double SAMPLES_REMEMBERED = 20;

  private final Vertx vertx;
  private final Supplier<Collection<Store>> stores;
  private double busy;
  private long timer = -1;

  IngestPressure(Vertx vertx, Supplier<Collection<Store>> stores) {
    this.vertx = vertx;
    this.stores = stores;
  }

  void start() {
    timer = vertx.setPeriodic(SAMPLE_MILLIS, id -> {
      boolean saturated = stores.get().stream().anyMatch(Store::writesSaturated);
      busy += ((saturated ? 1 : 0) - busy) / SAMPLES_REMEMBERED;
    });
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** From 0 (the writes never waited lately) to 1 (they always did). */
  double busy() {
    return busy;
  }
}
