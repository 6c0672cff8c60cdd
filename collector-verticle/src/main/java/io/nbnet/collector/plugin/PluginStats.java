package io.nbnet.collector.plugin;

/** Counts of one plugin, read on the collector's event loop. */
public final class PluginStats {
  long runs;
  long skipped;
  long failures;
  long timeouts;
  long badLines;
  long samples;

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
