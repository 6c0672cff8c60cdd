package io.nbnet.collector.push;

import io.nbnet.formats.Sample;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The series pushes brought since the collector started, up to {@code collector.push.maxSeries}: a push
 * that would pass it is refused whole, so one careless application cannot fill the buffer, the spool
 * and the saver's dictionary with names. Used on the push server's event loop only.
 */
final class PushedSeries {

  private final int max;
  private final Set<String> known = new HashSet<>();

  PushedSeries(int max) {
    this.max = max;
  }

  /** Empty when the samples' series fit (the new ones are remembered); otherwise why they do not. */
  Optional<String> admit(List<Sample> samples) {
    Set<String> fresh = new HashSet<>();
    for (Sample sample : samples) {
      String key = sample.host() + '\t' + sample.metric() + '\t' + sample.tags();
      if (!known.contains(key)) {
        fresh.add(key);
      }
    }
    if (known.size() + fresh.size() > max) {
      return Optional.of("pushes have brought " + known.size() + " series and this one would add " + fresh.size()
        + ": past collector.push.maxSeries (" + max + "); nothing of this body was kept");
    }
    known.addAll(fresh);
    return Optional.empty();
  }
}
