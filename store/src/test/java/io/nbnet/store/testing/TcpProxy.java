package io.nbnet.store.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP relay in front of MariaDB. "Blocking its port" means closing the relay and every
 * connection through it, so the saver sees exactly what a MariaDB outage shows it; "stalling" keeps
 * every connection open and drops what either side sends, as a network that loses packets (or a
 * frozen server) does.
 */
public final class TcpProxy {

  private final Vertx vertx;
  /** 0 until the first open picks a free one; then the relay reopens on the same port. */
  private int port;
  private final String targetHost;
  private final int targetPort;
  private final List<NetSocket> sockets = new ArrayList<>();
  /** Set from the start of {@link #block} on: a connection the closing server still hands over is closed. */
  private boolean blocked;
  private NetServer server;
  private volatile boolean stalled;

  public TcpProxy(Vertx vertx, int port, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.port = port;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  public void open() throws Exception {
    stalled = false;
    synchronized (sockets) {
      blocked = false;
    }
    var client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(inbound -> {
      inbound.pause();
      synchronized (sockets) {
        if (blocked) {
          inbound.close();
          return;
        }
        sockets.add(inbound);
      }
      client.connect(targetPort, targetHost).onComplete(ar -> {
        if (ar.failed()) {
          inbound.close();
          return;
        }
        NetSocket outbound = ar.result();
        synchronized (sockets) {
          if (!sockets.contains(inbound)) {
            outbound.close(); // blocked meanwhile: the client's side is closed already
            return;
          }
          sockets.add(outbound);
        }
        inbound.closeHandler(v -> outbound.close());
        outbound.closeHandler(v -> inbound.close());
        inbound.handler(bytes -> {
          if (!stalled) {
            outbound.write(bytes);
          }
        });
        outbound.handler(bytes -> {
          if (!stalled) {
            inbound.write(bytes);
          }
        });
        inbound.resume();
      });
    });
    port = server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  public int port() {
    return port;
  }

  /** From now on nothing passes, either way, on old connections or new ones; nothing is closed. */
  public void stall() {
    stalled = true;
  }

  public void block() throws Exception {
    synchronized (sockets) {
      blocked = true;
    }
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    List<Future<Void>> closing = new ArrayList<>();
    synchronized (sockets) {
      sockets.forEach(socket -> closing.add(socket.close()));
      sockets.clear();
    }
    Future.join(closing).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
