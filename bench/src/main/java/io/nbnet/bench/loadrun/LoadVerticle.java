package io.nbnet.bench.loadrun;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.nbnet.wire.tls.ClientTls;
import io.vertx.core.net.NetClientOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Opens this event loop's share of the run's connections and starts them. */
final class LoadVerticle extends VerticleBase {

  private final LoadPlan plan;
  private final LoadCounters counters;
  private final int connectionCount;
  private final List<LoadConnection> connections = new ArrayList<>();
  /** A field, not a local: Vert.x closes the connections of a NetClient that is garbage collected. */
  private NetClient client;

  LoadVerticle(LoadPlan plan, LoadCounters counters, int connectionCount) {
    this.plan = plan;
    this.counters = counters;
    this.connectionCount = connectionCount;
  }

  @Override
  public Future<?> start() {
    NetClientOptions options = new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5_000);
    // TLS that trusts the server's CA, for the TLS column of bench-frames
    plan.options().tlsCa().ifPresent(ca -> new ClientTls(Optional.of(ca), Optional.empty(), Optional.empty(), true, 10_000).applyTo(options));
    client = vertx.createNetClient(options);
    List<Future<?>> connects = new ArrayList<>();
    for (int i = 0; i < connectionCount; i++) {
      connects.add(client.connect(plan.options().port(), plan.options().host())
        .map(socket -> {
          LoadConnection connection = new LoadConnection(socket, plan, counters);
          connections.add(connection);
          return connection;
        }));
    }
    return Future.all(connects);
  }

  /** Starts sending on this verticle's event loop; completes when every connection has its last reply. */
  Future<List<LoadConnection>> run() {
    Promise<List<LoadConnection>> done = Promise.promise();
    context.runOnContext(v -> {
      List<Future<Void>> finished = new ArrayList<>();
      connections.forEach(connection -> {
        connection.start();
        finished.add(connection.finished());
      });
      Future.all(finished).map(all -> connections).onComplete(done);
    });
    return done.future();
  }

  @Override
  public Future<?> stop() {
    connections.forEach(LoadConnection::close);
    return Future.succeededFuture();
  }
}
