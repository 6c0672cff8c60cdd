package io.nbnet.trans;

import io.nbnet.support.config.Endpoint;
import io.nbnet.wire.FrameClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;

import java.util.ArrayList;
import java.util.List;

/** A few pipelined connections to one saver, used in turn and re-opened when they break. */
final class SaverLink {

  private final Vertx vertx;
  private final NetClient netClient;
  private final Endpoint saver;
  private final int maxFrameBytes;
  private final long replyTimeoutMillis;
  private final Future<FrameClient>[] connections;
  private int next;
  private long downUntilNanos;

  @SuppressWarnings("unchecked")
  SaverLink(Vertx vertx, NetClient netClient, Endpoint saver, int connections, int maxFrameBytes, long replyTimeoutMillis) {
    this.vertx = vertx;
    this.netClient = netClient;
    this.saver = saver;
    this.maxFrameBytes = maxFrameBytes;
    this.replyTimeoutMillis = replyTimeoutMillis;
    this.connections = new Future[connections];
  }

  Endpoint saver() {
    return saver;
  }

  boolean isDown() {
    return System.nanoTime() - downUntilNanos < 0;
  }

  void markDown(long millis) {
    downUntilNanos = System.nanoTime() + millis * 1_000_000L;
  }

  /** Sends one frame and completes with the saver's reply; fails when the saver cannot be reached. */
  Future<Buffer> send(Buffer payload) {
    return connection().compose(client -> client.send(payload));
  }

  /** Sends frames in order on one connection (pipelined); the replies come back in the same order. */
  Future<List<Buffer>> sendAll(List<Buffer> payloads) {
    return connection().compose(client -> {
      List<Future<Buffer>> replies = new ArrayList<>();
      payloads.forEach(payload -> replies.add(client.send(payload)));
      return Future.all(replies).map(all -> {
        List<Buffer> results = new ArrayList<>();
        replies.forEach(reply -> results.add(reply.result()));
        return results;
      });
    });
  }

  private Future<FrameClient> connection() {
    int slot = next;
    next = (next + 1) % connections.length;
    Future<FrameClient> connection = connections[slot];
    boolean broken = connection == null || connection.failed()
      || (connection.succeeded() && connection.result().isClosed());
    if (broken) {
      connection = FrameClient.connect(vertx, netClient, saver.host(), saver.port(), maxFrameBytes, replyTimeoutMillis);
      connections[slot] = connection;
    }
    return connection;
  }

  void close() {
    for (Future<FrameClient> connection : connections) {
      if (connection != null) {
        connection.onSuccess(FrameClient::close);
      }
    }
  }
}
