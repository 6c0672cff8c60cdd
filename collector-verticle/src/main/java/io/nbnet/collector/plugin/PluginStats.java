package io.nbnet.collector.plugin;

/** Counts of one plugin, written on the collector's event loop, readable from any thread (a scrape). */
public final class PluginStats {
  volatile long runs;
  volatile long skipped;
  volatile long failures;
  volatile long timeouts;
  volatile long badLines;
  volatile long samples;

  public long runs() {
    return runs;
  }

  /** Ticks skipped because the previous run had not finished. */
  public long skipped() {
    return skipped;
  }

  /** Runs that failed: non-zero exit, timeout, refused or not started. */
  public long failures() {
    return failures;
  }

  /** Runs killed at their timeout (also counted as failures). */
  public long timeouts() {
    return timeouts;
  }

  /** Output lines that could not be read. */
  public long badLines() {
    return badLines;
  }

  public long samples() {
    return samples;
  }
}
