package io.nbnet.saver;

import io.nbnet.formats.InvalidPayloadException;
import io.nbnet.formats.Payload;
import io.nbnet.saver.liveness.LivenessMonitor;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.Store;
import io.nbnet.support.metrics.HealthChecks;
import io.nbnet.wire.DecodingHandler;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.MessageHandler;
import io.nbnet.wire.RequestHandler;
import io.nbnet.wire.tls.HostIdentityHandler;
import io.nbnet.wire.tls.ServerTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.Optional;

/**
 * One database's part of the saver: its {@link Store}, the handlers that store requests in it, its
 * health check, and the liveness check of its hosts. A saver has one; in Kafka mode, one per shard.
 * A request is refused at once while the store cannot take writes (before it is decoded: senders retry
 * often during an outage), else decoded once, checked against its sender's certificate where the server
 * asks for host identity, and stored.
 */
final class Storage {

  /** The name of the saver's own database's storage. */
  static final String OWN = "mysql";

  private final String name;
  private final Store store;
  private final Vertx vertx;
  private final IngestHandler ingest;
  private final LivenessMonitor liveness;

  /** @param name {@link #OWN} for the saver's own database, "shard-NAME" for a Kafka shard's (health checks, pool names, meters) */
  Storage(Vertx vertx, String name, SaverConfig config, MySqlConfig mysql) {
    this.name = name;
    this.vertx = vertx;
    // in Kafka mode the savers of a group share each shard's database: no head (it would vouch for nobody's writes but its own)
    store = Store.open(vertx, name, config.kafka().isPresent() ? config.store().withoutHead() : config.store(), mysql);
    ingest = new IngestHandler(store);
    liveness = new LivenessMonitor(vertx, store, config.liveness(), System.currentTimeMillis());
    store.onReady(liveness::start);
    HealthChecks.register(name, () -> store.whyUnavailable().isEmpty());
  }

  /** Stores requests: replies {@code OK} once their samples are committed. */
  RequestHandler requests() {
    return requests(ingest);
  }

  /** As {@link #requests()}, for a server whose TLS settings may ask for host identity. */
  RequestHandler requests(String server, Optional<ServerTls> tls) {
    return requests(HostIdentityHandler.wrap(server, tls, Payload::hosts, ingest));
  }

  private RequestHandler requests(MessageHandler<Payload> stored) {
    DecodingHandler<Payload> decoding = new DecodingHandler<>(vertx, Storage::decode, stored);
    return (payload, peer) -> {
      Optional<String> unavailable = store.whyUnavailable();
      return unavailable.isPresent() ? Future.failedFuture(FrameException.unavailable(unavailable.get(), null)) : decoding.handle(payload, peer);
    };
  }

  private static Payload decode(Buffer payload) {
    try {
      return Payload.decode(payload);
    } catch (InvalidPayloadException e) {
      throw FrameException.invalid(e.getMessage());
    }
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
