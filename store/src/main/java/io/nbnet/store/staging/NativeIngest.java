package io.nbnet.store.staging;

import io.nbnet.formats.Sample;
import io.nbnet.store.StoreException;
import io.nbnet.store.mysql.DatabaseErrors;
import io.nbnet.store.series.HostActivity;
import io.nbnet.store.series.SeriesIds;
import io.nbnet.store.tables.StagedValues;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Native samples on their way in: each host's samples get their series ids (new series are added to
 * the dictionary), go to the staging table, and count as the host's latest activity. Completes, once
 * every row is committed, with the number of samples that conflicted with a stored value. Runs on the
 * event loop of the store's owner.
 */
public final class NativeIngest {

  /** Samples handled in one event-loop turn: about a millisecond of work. */
  private static final int SLICE_SAMPLES = 4_096;

  private final SeriesIds ids;
  private final StagingWriter staging;
  private final HostActivity activity;
  private final TimeBounds timeBounds;
  private final IngestObserver observer;

  /**
   * @param rawDays         days the raw tier keeps (0: for ever): older samples are refused
   * @param maxFutureMillis samples further ahead of the saver's clock are refused
   * @param observer        told of each host's part once committed (or failed)
   */
  public NativeIngest(SeriesIds ids, StagingWriter staging, HostActivity activity, int rawDays, long maxFutureMillis,
                      IngestObserver observer) {
    this.ids = ids;
    this.staging = staging;
    this.activity = activity;
    this.timeBounds = new TimeBounds(rawDays, maxFutureMillis);
    this.observer = observer;
  }

  /** Stores the samples once their times and every host's new series fit the limits; nothing of them when one would not. */
  public Future<Integer> write(List<Sample> samples) {
    Optional<StoreException> outOfTime = timeBounds.check(samples, System.currentTimeMillis());
    if (outOfTime.isPresent()) {
      return Future.failedFuture(outOfTime.get());
    }
    Map<String, List<Sample>> byHost = byHost(samples);
    List<Future<Runnable>> admitted = new ArrayList<>(byHost.size());
    byHost.forEach((host, hostSamples) -> admitted.add(ids.admit(host, hostSamples)));
    return Future.join(admitted).transform(all -> {
      if (all.succeeded()) {
        return admittedWrite(samples);
      }
      // one host is past a limit: the others' counts are given back, nothing of the frame is written
      admitted.stream().filter(Future::succeeded).forEach(admission -> admission.result().run());
      return Future.failedFuture(admitted.stream().filter(Future::failed).findFirst().orElseThrow().cause());
    });
  }

  private Future<Integer> admittedWrite(List<Sample> samples) {
    if (samples.size() <= SLICE_SAMPLES) {
      return writeSlice(samples, System.currentTimeMillis());
    }
    // a large frame goes a slice per event-loop turn: other connections' frames are served in between
    Context context = Vertx.currentContext();
    long received = System.currentTimeMillis();
    List<Future<Integer>> slices = new ArrayList<>();
    Promise<Void> handedOver = Promise.promise();
    writeSlices(context, samples, 0, received, slices, handedOver);
    return handedOver.future().compose(v -> Future.all(slices)).map(all -> slices.stream().mapToInt(Future::result).sum());
  }

  private void writeSlices(Context context, List<Sample> samples, int from, long received, List<Future<Integer>> slices,
                           Promise<Void> handedOver) {
    int to = Math.min(samples.size(), from + SLICE_SAMPLES);
    slices.add(writeSlice(samples.subList(from, to), received));
    if (to == samples.size()) {
      handedOver.complete();
    } else {
      context.runOnContext(v -> writeSlices(context, samples, to, received, slices, handedOver));
    }
  }

  private Future<Integer> writeSlice(List<Sample> samples, long received) {
    Map<String, List<Sample>> byHost = byHost(samples);
    List<Future<Integer>> parts = new ArrayList<>(byHost.size());
    byHost.forEach((host, hostSamples) -> parts.add(writeHost(host, hostSamples, received)));
    return Future.all(parts).map(all -> parts.stream().mapToInt(Future::result).sum());
  }

  /** The samples by host, in the order hosts first appear; a frame of one host (the usual one) as it is. */
  private static Map<String, List<Sample>> byHost(List<Sample> samples) {
    String first = samples.isEmpty() ? "" : samples.get(0).host();
    boolean oneHost = true;
    for (int i = 1; i < samples.size() && oneHost; i++) {
      oneHost = samples.get(i).host().equals(first);
    }
    if (oneHost) {
      return samples.isEmpty() ? Map.of() : Map.of(first, samples);
    }
    Map<String, List<Sample>> byHost = new LinkedHashMap<>();
    for (Sample sample : samples) {
      byHost.computeIfAbsent(sample.host(), host -> new ArrayList<>()).add(sample);
    }
    return byHost;
  }

  /** A legacy frame stored for {@code host}: it counts for the host's liveness like a native one. */
  public Future<Void> seenLegacy(String host, long timeMillis) {
    return ids.resolve(host, List.of()).map(resolved -> {
      activity.seen(resolved.hostId(), timeMillis, 1, System.currentTimeMillis());
      return null;
    });
  }

  private Future<Integer> writeHost(String host, List<Sample> samples, long received) {
    return ids.resolve(host, samples).compose(resolved -> {
      StagedPart part = new StagedPart(host, resolved.hostId(), samples.size());
      int[] seriesIds = resolved.seriesIds();
      for (int i = 0; i < samples.size(); i++) {
        Sample sample = samples.get(i);
        // what a DOUBLE cannot hold is staged as text (StagedValues)
        part.add(sample.timestampMillis(), seriesIds[i], sample.value(), StagedValues.text(sample.value(), sample.text()), sample.metric(),
          sample.tags());
      }
      StagedPart sorted = part.sorted();
      activity.seen(resolved.hostId(), sorted.newestTs(), samples.size(), received);
      return staging.add(sorted).andThen(added -> {
        if (added.succeeded()) {
          observer.committed(sorted);
        } else {
          observer.failed(sorted, DatabaseErrors.toStoreException(added.cause()));
        }
      });
    });
  }
}
