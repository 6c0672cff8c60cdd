package io.nbnet.store.mysql;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * How a saver knows whether it writes to its database alone: every saver holds one of {@link #SLOTS}
 * MySQL locks ({@code nbnet.writer-N.<database>}) on a connection of its own while it runs, and counts
 * the slots others hold. With more savers than slots, those without one still write: every saver then
 * sees the others.
 */
public final class WriterSlots {

  static final int SLOTS = 16;

  private final Pool pool;
  private final List<LeaderLock> slots = new ArrayList<>();
  private LeaderLock mine;

  public WriterSlots(Pool pool, long checkTimeoutMillis) {
    this.pool = pool;
    for (int slot = 0; slot < SLOTS; slot++) {
      slots.add(new LeaderLock(pool, "writer-" + slot, "writes to this database", checkTimeoutMillis));
    }
  }

  /** Holds a slot: this saver's, still, or the first free one; false when it holds none. */
  public Future<Boolean> hold() {
    if (mine == null) {
      return take(0);
    }
    return mine.lead().compose(held -> {
      if (held) {
        return Future.succeededFuture(true);
      }
      mine = null;
      return take(0);
    });
  }

  private Future<Boolean> take(int slot) {
    if (slot == SLOTS) {
      return Future.succeededFuture(false);
    }
    LeaderLock candidate = slots.get(slot);
    return candidate.lead().compose(taken -> {
      if (taken) {
        mine = candidate;
        return Future.succeededFuture(true);
      }
      return take(slot + 1);
    });
  }

  /** The slots held by other savers now. */
  public Future<Integer> others() {
    StringJoiner used = new StringJoiner(" + ", "SELECT ", "");
    for (int slot = 0; slot < SLOTS; slot++) {
      used.add("(IS_USED_LOCK(CONCAT('nbnet.writer-" + slot + ".', DATABASE())) IS NOT NULL)");
    }
    return pool.query(used.toString()).execute().map(rows -> {
      Row row = rows.iterator().next();
      int held = row.getInteger(0);
      return held - (mine != null && mine.held() ? 1 : 0);
    });
  }

  public Future<Void> release() {
    LeaderLock held = mine;
    mine = null;
    return held == null ? Future.succeededFuture() : held.release();
  }
}
