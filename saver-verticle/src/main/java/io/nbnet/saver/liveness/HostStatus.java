package io.nbnet.saver.liveness;

/** Whether a host reports: on time, late (two intervals missed), or silent (past the configured time). */
public enum HostStatus {
  REPORTING, LATE, SILENT;

  /** How it is written in the hosts table, the API and on /metrics. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static HostStatus ofLabel(String label) {
    return valueOf(label.toUpperCase(java.util.Locale.ROOT));
  }

  /**
   * The status of a host last heard {@code lastReceived}, sending every {@code intervalMillis} (0: not
   * known yet), when the time it was heard is recorded up to {@code recordLagMillis} late.
   */
  public static HostStatus of(long now, long lastReceived, long intervalMillis, long recordLagMillis, LivenessConfig config) {
    long age = now - lastReceived;
    if (age > config.silentAfterMillis()) {
      return SILENT;
    }
    return age > lateAfter(intervalMillis, recordLagMillis, config) ? LATE : REPORTING;
  }

  /** When a host in this status entered it, from when it was last heard. */
  public long since(long lastReceived, long intervalMillis, long recordLagMillis, LivenessConfig config) {
    return switch (this) {
      case REPORTING -> lastReceived;
      case LATE -> lastReceived + lateAfter(intervalMillis, recordLagMillis, config);
      case SILENT -> lastReceived + config.silentAfterMillis();
    };
  }

  private static long lateAfter(long intervalMillis, long recordLagMillis, LivenessConfig config) {
    return 2 * (intervalMillis > 0 ? intervalMillis : config.defaultIntervalMillis()) + recordLagMillis;
  }
}
