package io.nbnet.wire.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP relay with a port of its own from the start (bound to port 0): while it is down,
 * connections are closed as they arrive and the ones through it are cut, which is what a peer sees of
 * a hop that is away; once up, it forwards to the target. Tests start it first and point clients at
 * it, so no port has to be guessed before the real server exists.
 */
public final class Relay implements AutoCloseable {

  private final Vertx vertx;
  private final NetClient client;
  private final List<NetSocket> sockets = new ArrayList<>();
  private final NetServer server;
  private volatile int targetPort = -1;

  private Relay(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(this::onConnect);
  }

  public static Relay start(Vertx vertx) throws Exception {
    Relay relay = new Relay(vertx);
    relay.server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return relay;
  }

  public int port() {
    return server.actualPort();
  }

  /** New connections are forwarded to {@code 127.0.0.1:port}. */
  public Relay up(int port) {
    targetPort = port;
    return this;
  }

  /** New connections are closed at once, and the ones through the relay are cut. */
  public Relay down() throws Exception {
    targetPort = -1;
    List<Future<Void>> closing = new ArrayList<>();
    synchronized (sockets) {
      sockets.forEach(socket -> closing.add(socket.close()));
      sockets.clear();
    }
    Future.join(closing).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return this;
  }

  @Override
  public void close() throws Exception {
    down();
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void onConnect(NetSocket inbound) {
    int target = targetPort;
    if (target < 0) {
      inbound.close();
      return;
    }
    inbound.pause();
    client.connect(target, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        inbound.close();
        return;
      }
      NetSocket outbound = ar.result();
      synchronized (sockets) {
        sockets.add(inbound);
        sockets.add(outbound);
      }
      inbound.pipeTo(outbound);
      outbound.pipeTo(inbound);
      inbound.resume();
    });
  }
}
