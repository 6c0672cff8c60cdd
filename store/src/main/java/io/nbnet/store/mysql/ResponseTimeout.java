package io.nbnet.store.mysql;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.internal.SqlConnectionInternal;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Closes a MySQL connection that neither reads nor writes anything for a given time, so the statements
 * waiting on it fail (and are retried) instead of waiting for ever on a network that drops packets or
 * a server that stopped answering; each statement sent gets the whole time to be answered. The MySQL
 * driver of Vert.x 5.0 ignores the transport options a pool is built with (their idle timeouts among
 * them), so the connection gets Netty's {@link IdleStateHandler} the first time it is taken from the
 * pool ({@link ResponseBoundedPool}); Vert.x closes a connection on the idle event, as for its own idle
 * timeouts.
 */
final class ResponseTimeout {

  private static final Logger log = Logger.getLogger(ResponseTimeout.class.getName());
  private static final String HANDLER = "nbnet-response-timeout";
  private static volatile boolean warned;

  private ResponseTimeout() {
  }

  /** Bounds the connection's response time, unless it is bounded already. */
  static void install(SqlConnection connection, long millis) {
    Optional<SocketConnectionBase> found = MySqlSockets.of(connection);
    if (found.isEmpty()) {
      if (warned) {
        return;
      }
      warned = true;
      log.warning("cannot bound the response time of MySQL connections (" + ((SqlConnectionInternal) connection).unwrap().getClass().getName()
        + "): a server that stops answering holds its statements until the connection breaks");
      return;
    }
    SocketConnectionBase socket = found.get();
    // the connection is leased to this caller alone: nobody else adds the handler meanwhile
    ChannelPipeline pipeline = socket.socket().channelHandlerContext().pipeline();
    if (pipeline.get(HANDLER) == null) {
      // idle = neither read nor written: each statement sent gets the whole time for its first bytes back
      pipeline.addFirst(HANDLER, new IdleStateHandler(0, 0, millis, TimeUnit.MILLISECONDS));
    }
  }

  /**
   * Takes the bound off again: for a connection that is meant to sit idle (a held lock's), whose
   * holder bounds its own checks.
   */
  static void remove(SqlConnection connection) {
    MySqlSockets.of(connection).ifPresent(socket -> {
      ChannelPipeline pipeline = socket.socket().channelHandlerContext().pipeline();
      if (pipeline.get(HANDLER) != null) {
        pipeline.remove(HANDLER);
      }
    });
  }
}
