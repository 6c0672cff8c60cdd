package io.nbnet.store;

/**
 * What the hosts table holds of one host.
 *
 * @param status          the status the liveness check last recorded
 * @param statusSince     when it entered that status, epoch ms
 * @param firstReceived   when a write of it first arrived, epoch ms (the saver's clock, as every {@code received} here)
 * @param lastReceived    when a write of it last arrived
 * @param lastSampleTime  its newest sample time, epoch ms
 * @param lastSamples     how many samples it sent at that time
 * @param intervalMillis  the spacing of its samples, 0 while unknown
 */
public record HostState(String host, HostStatus status, long statusSince, long firstReceived, long lastReceived, long lastSampleTime,
                        long lastSamples, long intervalMillis) {

  /** A host's new status, entered at {@code since} (epoch ms). */
  public record Change(String host, HostStatus status, long since) {
  }
}
