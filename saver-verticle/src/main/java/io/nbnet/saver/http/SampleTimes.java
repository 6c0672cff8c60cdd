package io.nbnet.saver.http;

/**
 * The sample times the write APIs pass on to the store: the store refuses a whole write holding a time
 * older than the raw tier keeps or more than {@code maxFutureMs} ahead, so the APIs leave such samples
 * out first (counted), the older bound a minute inside the store's (its clock reads a little later).
 *
 * @param rawDays     days the raw tier keeps (0: for ever)
 * @param maxFutureMs {@code saver.limits.maxFutureMs}
 */
record SampleTimes(int rawDays, long maxFutureMs) {

  private static final long DAY_MILLIS = 86_400_000;
  private static final long MARGIN_MILLIS = 60_000;

  long oldest(long nowMillis) {
    return rawDays == 0 ? Long.MIN_VALUE : nowMillis - rawDays * DAY_MILLIS + MARGIN_MILLIS;
  }

  long newest(long nowMillis) {
    return nowMillis + maxFutureMs;
  }
}
