package io.nbnet.buffer;

import java.util.concurrent.atomic.AtomicLong;

/** Counts of a {@link Outbox}, safe to read from any thread (a Prometheus scrape, a test). */
public final class BufferStats {

  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private volatile long queued;
  private volatile long spooled;
  private volatile long spoolDropped;
  private volatile long deadLetters;
  private volatile long corrupt;

  /** Frames waiting in memory. */
  public long queued() {
    return queued;
  }

  /** Frames in the spool, not yet acknowledged. */
  public long spooled() {
    return spooled;
  }

  /** Frames dropped: memory full without a spool, or a spool that refused them. */
  public long dropped() {
    return dropped.get() + spoolDropped;
  }

  /** Frames this process sent to the dead letters because the next hop refused them for good. */
  public long deadLettered() {
    return deadLettered.get();
  }

  /** Dead letters the spool holds (refused frames and corrupt records, from every run). */
  public long deadLetters() {
    return deadLetters;
  }

  /** Records of the spool that failed their check since it was opened. */
  public long corrupt() {
    return corrupt;
  }

  long addDropped(long frames) {
    return dropped.addAndGet(frames) + spoolDropped;
  }

  void addDeadLettered(long frames) {
    deadLettered.addAndGet(frames);
  }

  void setQueued(long frames) {
    queued = frames;
  }

  void setSpool(long pending, long droppedWhenFull, long letters, long corruptRecords) {
    spooled = pending;
    spoolDropped = droppedWhenFull;
    deadLetters = letters;
    corrupt = corruptRecords;
  }
}
