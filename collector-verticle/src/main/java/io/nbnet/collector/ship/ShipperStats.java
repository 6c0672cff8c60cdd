package io.nbnet.collector.ship;

import java.util.concurrent.atomic.AtomicLong;

/** Counts of a {@link FrameShipper}, safe to read from any thread (a Prometheus scrape, a test). */
public final class ShipperStats {

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private volatile int inFlight;

  public long sent() {
    return sent.get();
  }

  public long acknowledged() {
    return acknowledged.get();
  }

  /** Frames the next hop refused for good; they went to the dead letters. */
  public long rejected() {
    return rejected.get();
  }

  /** Reconnections. */
  public long retries() {
    return retries.get();
  }

  public int inFlight() {
    return inFlight;
  }

  void addSent() {
    sent.incrementAndGet();
  }

  void addAcknowledged() {
    acknowledged.incrementAndGet();
  }

  void addRejected() {
    rejected.incrementAndGet();
  }

  void addRetry() {
    retries.incrementAndGet();
  }

  void setInFlight(int frames) {
    inFlight = frames;
  }
}
