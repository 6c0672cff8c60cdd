package io.nbnet.wire;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The requests in progress across all connections of one frame server (one event loop). Past the
 * limit every connection stops reading; below half of it they all read again. So a slow database
 * pushes back on senders instead of frames piling up in memory.
 */
final class PendingLimit {

  private final int limit;
  private final Set<FrameConnection> held = new LinkedHashSet<>();
  private int pending;

  PendingLimit(int limit) {
    this.limit = limit;
  }

  void increment() {
    pending++;
  }

  void decrement() {
    pending--;
    if (pending <= limit / 2 && !held.isEmpty()) {
      Set<FrameConnection> release = new LinkedHashSet<>(held);
      held.clear();
      release.forEach(FrameConnection::updateReadState);
    }
  }

  /** True when the connection must pause; it is then told when to look again. */
  boolean mustHold(FrameConnection connection) {
    if (pending >= limit) {
      held.add(connection);
      return true;
    }
    return false;
  }

  void forget(FrameConnection connection) {
    held.remove(connection);
  }
}
