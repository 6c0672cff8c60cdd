package io.nbnet.store.series;

import io.nbnet.store.tables.StorageLayout;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * When each host was last heard from, kept in the hosts table so that it survives restarts and is
 * shared by several savers: the newest sample time, how many samples it carried, the saver's clock,
 * and the host's interval, inferred from the spacing of its main frames (those with at least half
 * the samples of its largest recent frame, so a plugin's small frames in between do not count).
 * Frames only update memory; a timer writes the hosts that changed, once per {@code flushMillis},
 * in one batch, off the path of any reply.
 */
public final class HostActivity {

  private static final Logger log = Logger.getLogger(HostActivity.class.getName());
  private static final int GAPS_KEPT = 8;

  /** What is known of one host since the last write. */
  private static final class Seen {
    long lastTs;
    int samplesAtLastTs;
    long lastReceived;
    int largestFrame;
    long lastMainTs;
    final long[] gaps = new long[GAPS_KEPT];
    int gapCount;
    long intervalMillis;
    boolean changed;
  }

  private final Vertx vertx;
  private final Pool pool;
  private final StorageLayout layout;
  private final Map<Integer, Seen> hosts = new HashMap<>();
  private final long timer;
  private boolean writing;

  public HostActivity(Vertx vertx, Pool pool, StorageLayout layout, long flushMillis) {
    this.vertx = vertx;
    this.pool = pool;
    this.layout = layout;
    this.timer = vertx.setPeriodic(flushMillis, id -> write());
  }

  /** A frame of {@code samples} samples of a host, the newest at {@code ts}, arrived now. */
  public void seen(int hostId, long ts, int samples, long receivedMillis) {
    Seen seen = hosts.computeIfAbsent(hostId, id -> new Seen());
    seen.changed = true;
    seen.lastReceived = Math.max(seen.lastReceived, receivedMillis);
    seen.largestFrame = Math.max(seen.largestFrame, samples);
    if (ts > seen.lastTs) {
      seen.lastTs = ts;
      seen.samplesAtLastTs = samples;
    } else if (ts == seen.lastTs) {
      seen.samplesAtLastTs += samples;
    }
    if (samples * 2 >= seen.largestFrame && ts > seen.lastMainTs) {
      if (seen.lastMainTs > 0) {
        seen.gaps[seen.gapCount++ % GAPS_KEPT] = ts - seen.lastMainTs;
        seen.intervalMillis = median(seen.gaps, Math.min(seen.gapCount, GAPS_KEPT));
      }
      seen.lastMainTs = ts;
    }
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  private void write() {
    if (writing) {
      return;
    }
    List<Tuple> updates = new ArrayList<>();
    for (Map.Entry<Integer, Seen> entry : hosts.entrySet()) {
      Seen seen = entry.getValue();
      if (!seen.changed) {
        continue;
      }
      seen.changed = false;
      long interval = Math.min(seen.intervalMillis, 4_294_967_295L);
      updates.add(Tuple.of(seen.lastTs, seen.samplesAtLastTs, seen.lastTs, seen.samplesAtLastTs, interval, interval, seen.lastTs,
        seen.lastReceived, entry.getKey()));
      // the count at the newest time is sent once; later frames at that time add to it
      seen.samplesAtLastTs = 0;
    }
    if (updates.isEmpty()) {
      return;
    }
    writing = true;
    pool.preparedQuery(SeriesSql.updateHostActivity(layout)).executeBatch(updates)
      .onComplete(ar -> {
        writing = false;
        if (ar.failed()) {
          log.warning("cannot record host activity now (tried again on the next tick): " + ar.cause().getMessage());
          updates.forEach(update -> hosts.get(update.getInteger(8)).changed = true);
        }
      });
  }

  private static long median(long[] gaps, int count) {
    long[] sorted = Arrays.copyOf(gaps, count);
    Arrays.sort(sorted);
    return sorted[count / 2];
  }
}
