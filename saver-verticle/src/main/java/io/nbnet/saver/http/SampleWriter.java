package io.nbnet.saver.http;

import io.nbnet.formats.Sample;
import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

/** Where the write APIs store samples: the saver's database, or in Kafka mode each host's shard. */
public interface SampleWriter {

  /** Why writes would be refused now; empty while they are taken. */
  Optional<String> whyUnavailable();

  /** Completes once every sample is committed; fails with a {@link io.nbnet.store.StoreException}. */
  Future<?> write(List<Sample> samples);
}
