package io.nbnet.saver;

import io.nbnet.formats.Sample;
import io.nbnet.saver.series.HostActivity;
import io.nbnet.saver.series.SeriesIds;
import io.nbnet.saver.staging.StagedPart;
import io.nbnet.saver.staging.StagingWriter;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Native samples on their way in: each host's samples get their series ids (new series are added to
 * the dictionary), go to the staging table, and count as the host's latest activity. Completes, once
 * every row is committed, with the number of samples that conflicted with a stored value.
 */
final class NativeIngest {

  private final SeriesIds ids;
  private final StagingWriter staging;
  private final HostActivity activity;

  NativeIngest(SeriesIds ids, StagingWriter staging, HostActivity activity) {
    this.ids = ids;
    this.staging = staging;
    this.activity = activity;
  }

  Future<Integer> write(List<Sample> samples) {
    Map<String, List<Sample>> byHost = new LinkedHashMap<>();
    for (Sample sample : samples) {
      byHost.computeIfAbsent(sample.host(), host -> new ArrayList<>()).add(sample);
    }
    List<Future<Integer>> parts = new ArrayList<>(byHost.size());
    long received = System.currentTimeMillis();
    byHost.forEach((host, hostSamples) -> parts.add(writeHost(host, hostSamples, received)));
    return Future.all(parts).map(all -> parts.stream().mapToInt(Future::result).sum());
  }

  private Future<Integer> writeHost(String host, List<Sample> samples, long received) {
    return ids.resolve(host, samples).compose(resolved -> {
      StagedPart part = new StagedPart(host, resolved.hostId(), samples.size());
      int[] seriesIds = resolved.seriesIds();
      for (int i = 0; i < samples.size(); i++) {
        Sample sample = samples.get(i);
        part.add(sample.timestampMillis(), seriesIds[i], sample.value(), sample.text(), sample.metric(), sample.tags());
      }
      StagedPart sorted = part.sorted();
      activity.seen(resolved.hostId(), sorted.newestTs(), samples.size(), received);
      return staging.add(sorted);
    });
  }
}
