package io.nbnet.wire;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload bytes one frame server holds: every frame is counted from its header (by its stated
 * length, so a partial frame counts in full) until its reply is written. A frame that does not fit
 * waits, its connection paused, until room is freed; nothing past the limit is ever read into memory.
 * Frames larger than {@link #LARGE_FRAME_BYTES} may take three quarters of the room at most, so peers
 * holding large partial frames can never keep the small frames of other peers out. Used on the
 * server's event loop only.
 */
final class FrameMemory {

  static final int LARGE_FRAME_BYTES = 64 * 1024;

  /** A connection waiting for room for one frame. */
  interface Waiter {
    /** Called on the event loop once the frame's bytes are reserved for it. */
    void granted();
  }

  private record Waiting(Waiter waiter, long bytes) {
  }

  private final long limit;
  private final long largeLimit;
  private final ArrayDeque<Waiting> smallWaiting = new ArrayDeque<>();
  private final ArrayDeque<Waiting> largeWaiting = new ArrayDeque<>();
  private long used;
  private long usedByLarge;

  FrameMemory(long limit) {
    this.limit = limit;
    this.largeLimit = limit - limit / 4;
  }

  static boolean isLarge(long bytes) {
    return bytes > LARGE_FRAME_BYTES;
  }

  /** Reserves room for a frame now if it fits and nobody of its size waits before it. */
  boolean tryReserve(long bytes) {
    boolean large = isLarge(bytes);
    if (!(large ? largeWaiting : smallWaiting).isEmpty() || !fits(bytes, large)) {
      return false;
    }
    take(bytes, large);
    return true;
  }

  /** Queues a frame that did not fit; {@link Waiter#granted()} is called once it does. */
  void await(Waiter waiter, long bytes) {
    (isLarge(bytes) ? largeWaiting : smallWaiting).add(new Waiting(waiter, bytes));
  }

  /** Forgets the waits of a connection that closed. */
  void forget(Waiter waiter) {
    smallWaiting.removeIf(waiting -> waiting.waiter() == waiter);
    largeWaiting.removeIf(waiting -> waiting.waiter() == waiter);
  }

  void release(long bytes) {
    used -= bytes;
    if (isLarge(bytes)) {
      usedByLarge -= bytes;
    }
    grant(smallWaiting, false);
    grant(largeWaiting, true);
  }

  long used() {
    return used;
  }

  private void grant(ArrayDeque<Waiting> queue, boolean large) {
    List<Waiter> granted = new ArrayList<>();
    // first come, first served within each size class
    while (!queue.isEmpty() && fits(queue.peek().bytes(), large)) {
      Waiting next = queue.poll();
      take(next.bytes(), large);
      granted.add(next.waiter());
    }
    granted.forEach(Waiter::granted);
  }

  private boolean fits(long bytes, boolean large) {
    return used + bytes <= limit && (!large || usedByLarge + bytes <= largeLimit);
  }

  private void take(long bytes, boolean large) {
    used += bytes;
    if (large) {
      usedByLarge += bytes;
    }
  }
}
