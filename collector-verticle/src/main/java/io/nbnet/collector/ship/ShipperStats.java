package io.nbnet.collector.ship;


/** Counts of a {@link FrameShipper}, read on its event loop. */
public final class ShipperStats {
  long sent;
  long acknowledged;
  long rejected;
  long dropped;
  long retries;
  int queued;
  int inFlight;
  long spooled;
  long spoolDropped;

  public long sent() {
    return sent;
  }

  public long acknowledged() {
    return acknowledged;
  }

  /** Frames the next hop refused as invalid; they are never sent again. */
  public long rejected() {
    return rejected;
  }

  /** Frames dropped because the queue was full. */
  public long dropped() {
    return dropped;
  }

  public long retries() {
    return retries;
  }

  public int queued() {
    return queued;
  }

  public int inFlight() {
    return inFlight;
  }

  /** Frames in the spool, not yet acknowledged. */
  public long spooled() {
    return spooled;
  }

  /** Frames the spool dropped (or refused) because it was full. */
  public long spoolDropped() {
    return spoolDropped;
  }
}
