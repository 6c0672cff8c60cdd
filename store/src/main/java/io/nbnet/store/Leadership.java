package io.nbnet.store;

import io.vertx.core.Future;

/**
 * A job that one of the savers sharing a database does at a time, decided by a MySQL lock: whoever
 * holds it does the job; when that saver dies, or its connection goes silent, another takes over.
 */
public interface Leadership {

  /** True when this saver holds the lock (asked of MySQL each time), taking it if nobody does. */
  Future<Boolean> lead();

  /** Whether this saver held the lock when last asked. */
  boolean held();

  /** Gives the lock back. */
  Future<Void> release();
}
