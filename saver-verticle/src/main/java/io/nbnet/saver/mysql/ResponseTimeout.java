package io.nbnet.saver.mysql;

import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.internal.Connection;
import io.vertx.sqlclient.internal.SqlConnectionInternal;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Closes a MySQL connection that reads nothing for a given time, so the statements waiting on it fail
 * (and are retried) instead of waiting for ever on a network that drops packets or a server that
 * stopped answering. The MySQL driver of Vert.x 5.0 ignores the transport options a pool is built with
 * (their read idle timeout among them), so the connection gets Netty's {@link IdleStateHandler} when
 * the pool opens it; Vert.x closes a connection on the idle event, as for its own idle timeouts.
 */
final class ResponseTimeout {

  private static final Logger log = Logger.getLogger(ResponseTimeout.class.getName());
  private static final String HANDLER = "nbnet-response-timeout";

  private ResponseTimeout() {
  }

  /** Runs on the connection's event loop, in the pool's connect handler, before the pool hands it out. */
  static void install(SqlConnection connection, long millis) {
    Connection current = ((SqlConnectionInternal) connection).unwrap();
    while (!(current instanceof SocketConnectionBase) && current.unwrap() != current) {
      current = current.unwrap();
    }
    if (!(current instanceof SocketConnectionBase socket)) {
      log.warning("cannot bound the response time of MySQL connections (" + current.getClass().getName()
        + "): a server that stops answering holds its statements until the connection breaks");
      return;
    }
    socket.socket().channelHandlerContext().pipeline().addFirst(HANDLER, new IdleStateHandler(millis, 0, 0, TimeUnit.MILLISECONDS));
  }
}
