package io.nbnet.collector.proc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.nbnet.collector.metrics.CollectorMeters;
import io.nbnet.formats.Sample;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The sources a collector runs, each isolated: a source that fails (a file missing or malformed
 * this time) adds nothing that interval, is logged once per kind of failure and counted
 * ({@code nbnet_collector_source_errors_total{source}}); the others carry on. A source that does not
 * apply on this host says so once at start and is left out. Each one's time is measured
 * ({@code nbnet_collector_source_duration_seconds{source}}).
 */
final class SourceSet {

  private static final Logger log = Logger.getLogger(SourceSet.class.getName());

  private record Running(Source source, Counter errors, Timer duration) {
  }

  private final ProcFiles files;
  private final List<Running> running = new ArrayList<>();
  private final Set<String> failuresLogged = new HashSet<>();

  SourceSet(ProcFiles files, List<Source> sources) {
    this.files = files;
    for (Source source : sources) {
      Optional<String> why = source.notApplicable(files);
      if (why.isPresent()) {
        log.info("collector source " + source.name() + " does not apply here: " + why.get());
        continue;
      }
      running.add(new Running(source,
        CollectorMeters.sourceErrors(source.name()), CollectorMeters.sourceDuration(source.name())));
    }
  }

  List<String> names() {
    return running.stream().map(r -> r.source().name()).toList();
  }

  List<Sample> sample(String host, long timestampMillis) {
    SampleSink out = new SampleSink(host, timestampMillis);
    for (Running r : running) {
      int before = out.size();
      long began = System.nanoTime();
      try {
        r.source().sample(files, out);
      } catch (Exception | LinkageError e) {
        out.truncate(before);
        r.errors().increment();
        String kind = r.source().name() + ":" + e.getClass().getName() + ":" + String.valueOf(e.getMessage()).replaceAll("\\d+", "N");
        if (failuresLogged.add(kind)) {
          log.warning("collector source " + r.source().name() + " failed (" + e + "); its samples are left out while it fails,"
            + " the other sources carry on (logged once per kind of failure; nbnet_collector_source_errors_total counts them)");
        }
      } finally {
        r.duration().record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
      }
    }
    return out.samples();
  }
}
