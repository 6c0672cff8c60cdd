package io.nbnet.collector.proc;

import java.util.Optional;

/**
 * One family of host metrics (CPU, memory, disks, ...), read from /proc or /sys each interval. A
 * source keeps what it needs between intervals (counters for rates); its failures are its own: the
 * {@link SourceSet} catches, logs and counts them, and the other sources carry on.
 */
public interface Source {

  /** Its name in {@code collector.sources} and in the meters' {@code source} tag. */
  String name();

  /** Why the source does not apply on this host (a file it reads is absent), checked once; empty when it does. */
  default Optional<String> notApplicable(ProcFiles files) {
    return Optional.empty();
  }

  /** Adds this interval's samples; rates appear from the second call on. */
  void sample(ProcFiles files, SampleSink out) throws Exception;
}
