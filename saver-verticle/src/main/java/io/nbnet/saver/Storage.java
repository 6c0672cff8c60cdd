package io.nbnet.saver;

import io.nbnet.saver.liveness.LivenessMonitor;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.Store;
import io.nbnet.support.metrics.HealthChecks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * One database's part of the saver: its {@link Store}, the handler that stores frames in it, its
 * health check, and the liveness check of its hosts. A saver has one; in Kafka mode, one per shard.
 */
final class Storage {

  /** The name of the saver's own database's storage. */
  static final String OWN = "mysql";

  private final String name;
  private final Store store;
  private final IngestHandler ingest;
  private final LivenessMonitor liveness;

  /** @param name {@link #OWN} for the saver's own database, "shard-NAME" for a Kafka shard's (health checks, pool names, meters) */
  Storage(Vertx vertx, String name, SaverConfig config, MySqlConfig mysql) {
    this.name = name;
    store = Store.open(vertx, name, config.store(), mysql);
    ingest = new IngestHandler(vertx, store);
    liveness = new LivenessMonitor(vertx, store, config.liveness());
    store.onReady(liveness::start);
    HealthChecks.register(name, () -> store.whyUnavailable().isEmpty());
  }

  /** Stores frames: replies {@code OK} once their samples are committed. */
  IngestHandler ingest() {
    return ingest;
  }

  MySqlConfig mysql() {
    return store.mysql();
  }

  Store store() {
    return store;
  }

  /** Creates the schema now, or keeps trying in the background while the database is away. */
  Future<Void> createNowOrLater() {
    return store.createNowOrLater();
  }

  Future<Void> stop() {
    HealthChecks.unregister(name);
    return liveness.stop().eventually(store::stop);
  }
}
