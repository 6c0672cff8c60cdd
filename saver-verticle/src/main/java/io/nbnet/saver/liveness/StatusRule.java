package io.nbnet.saver.liveness;

import io.nbnet.saver.LivenessConfig;
import io.nbnet.store.HostStatus;

/**
 * When a host counts as late (two of its intervals missed) or silent (past the configured time), from
 * when it was last heard.
 *
 * @param recordLagMillis how late the hosts table may learn that a host was heard (its writes are batched)
 */
record StatusRule(LivenessConfig config, long recordLagMillis) {

  /** The status of a host last heard {@code lastReceived}, sending every {@code intervalMillis} (0: not known yet). */
  HostStatus of(long now, long lastReceived, long intervalMillis) {
    long age = now - lastReceived;
    if (age > config.silentAfterMillis()) {
      return HostStatus.SILENT;
    }
    return age > lateAfter(intervalMillis) ? HostStatus.LATE : HostStatus.REPORTING;
  }

  /** When a host in {@code status} entered it, from when it was last heard. */
  long since(HostStatus status, long lastReceived, long intervalMillis) {
    return switch (status) {
      case REPORTING -> lastReceived;
      case LATE -> lastReceived + lateAfter(intervalMillis);
      case SILENT -> lastReceived + config.silentAfterMillis();
    };
  }

  private long lateAfter(long intervalMillis) {
    return 2 * (intervalMillis > 0 ? intervalMillis : config.defaultIntervalMillis()) + recordLagMillis;
  }
}
