package io.nbnet.saver;

import io.nbnet.formats.Sample;
import io.nbnet.saver.http.SampleWriter;
import io.nbnet.store.Store;
import io.nbnet.store.StoreException;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Samples written to the store of their host: the saver's own, or in Kafka mode the store of the host's
 * shard (the one its frames would reach through Kafka). Done once every store has committed its part.
 */
final class HostStores implements SampleWriter {

  private final Function<String, Optional<Store>> storeOfHost;
  private final Supplier<Collection<Store>> stores;

  /** @param storeOfHost empty while the host's store is not open yet */
  HostStores(Function<String, Optional<Store>> storeOfHost, Supplier<Collection<Store>> stores) {
    this.storeOfHost = storeOfHost;
    this.stores = stores;
  }

  @Override
  public Optional<String> whyUnavailable() {
    return stores.get().stream().map(Store::whyUnavailable).flatMap(Optional::stream).findFirst();
  }

  @Override
  public Future<?> write(List<Sample> samples) {
    Map<Store, List<Sample>> byStore = new IdentityHashMap<>();
    for (Sample sample : samples) {
      Optional<Store> store = storeOfHost.apply(sample.host());
      if (store.isEmpty()) {
        return Future.failedFuture(new StoreException(StoreException.Kind.UNAVAILABLE, "the shard of host " + sample.host() + " is not open yet",
          null));
      }
      byStore.computeIfAbsent(store.get(), s -> new ArrayList<>()).add(sample);
    }
    List<Future<Integer>> writes = new ArrayList<>();
    byStore.forEach((store, part) -> writes.add(store.write(part)));
    return Future.all(writes);
  }
}
