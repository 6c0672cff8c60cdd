package io.nbnet.wire;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One connection to a frame server. {@link #send} may be called again before earlier replies arrive
 * (pipelining); replies are matched to requests by order. When the connection ends, or the oldest
 * request waits longer than the reply timeout, every waiting request fails and the connection closes:
 * with ordered replies nothing later could be trusted.
 */
public final class FrameClient implements FrameLink {

  private final Vertx vertx;
  /** Held so the client lives as long as its connection: Vert.x closes the connections of a collected NetClient. */
  private final NetClient netClient;
  private final NetSocket socket;
  private final long replyTimeoutMillis;
  private final ArrayDeque<Promise<Buffer>> waiting = new ArrayDeque<>();
  private final ArrayDeque<Long> sentAt = new ArrayDeque<>();
  private final FrameParser parser;
  private final FrameWriter writer;
  private final long timeoutCheck;
  private Consumer<Throwable> closeListener = error -> { };
  private Throwable closeCause;
  private boolean closed;

  private FrameClient(Vertx vertx, NetClient netClient, NetSocket socket, int maxFrameBytes, long replyTimeoutMillis) {
    this.vertx = vertx;
    this.netClient = netClient;
    this.socket = socket;
    this.replyTimeoutMillis = replyTimeoutMillis;
    this.parser = new FrameParser(maxFrameBytes, this::onReply, this::onProtocolError);
    this.writer = new FrameWriter(vertx.getOrCreateContext(), socket);
    socket.handler(parser);
    socket.closeHandler(v -> onClosed(closeCause != null ? closeCause : new FrameClientClosedException("connection closed by " + socket.remoteAddress())));
    socket.exceptionHandler(error -> closeCause = error);
    long period = Math.max(10, Math.min(1000, replyTimeoutMillis / 4));
    timeoutCheck = vertx.setPeriodic(period, id -> checkReplyTimeout());
  }

  /** Connects to {@code host:port}; the future fails when the server cannot be reached. */
  public static Future<FrameClient> connect(Vertx vertx, NetClient netClient, String host, int port,
                                            int maxFrameBytes, long replyTimeoutMillis) {
    return netClient.connect(port, host)
      .map(socket -> new FrameClient(vertx, netClient, socket, maxFrameBytes, replyTimeoutMillis));
  }

  /** A connector opening one TCP connection per {@link FrameLink.Connector#connect()}. */
  public static Connector connector(Vertx vertx, NetClient netClient, String host, int port, int maxFrameBytes, long replyTimeoutMillis) {
    return new Connector() {
      @Override
      public Future<FrameLink> connect() {
        return FrameClient.connect(vertx, netClient, host, port, maxFrameBytes, replyTimeoutMillis).map(client -> client);
      }

      @Override
      public String describe() {
        return host + ":" + port;
      }
    };
  }

  /**
   * Sends one request; the future completes with the reply payload, whatever it says. Requests sent
   * in one event-loop task go out in one write.
   */
  @Override
  public Future<Buffer> send(Buffer payload) {
    if (closed) {
      return Future.failedFuture(new FrameClientClosedException("connection to " + socket.remoteAddress() + " is closed"));
    }
    Promise<Buffer> reply = Promise.promise();
    waiting.add(reply);
    sentAt.add(System.nanoTime());
    writer.writeFrame(payload);
    return reply.future();
  }

  public boolean isClosed() {
    return closed;
  }

  /** Called once when the connection ends, with the reason. */
  @Override
  public FrameClient closeListener(Consumer<Throwable> listener) {
    this.closeListener = listener;
    return this;
  }

  @Override
  public Future<Void> close() {
    return socket.close();
  }

  private void onReply(Buffer payload) {
    Promise<Buffer> reply = waiting.poll();
    sentAt.poll();
    if (reply == null) {
      closeCause = new ProtocolException(ProtocolError.BAD_HEADER, "reply without a request from " + socket.remoteAddress());
      socket.close();
      return;
    }
    reply.complete(payload);
  }

  private void onProtocolError(ProtocolException error) {
    closeCause = error;
    socket.close();
  }

  private void checkReplyTimeout() {
    Long oldest = sentAt.peek();
    if (oldest != null && System.nanoTime() - oldest > replyTimeoutMillis * 1_000_000L) {
      closeCause = new FrameClientClosedException("no reply from " + socket.remoteAddress() + " within " + replyTimeoutMillis + " ms");
      socket.close();
    }
  }

  private void onClosed(Throwable cause) {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(timeoutCheck);
    sentAt.clear();
    Promise<Buffer> reply;
    while ((reply = waiting.poll()) != null) {
      reply.tryFail(cause);
    }
    closeListener.accept(cause);
  }
}
