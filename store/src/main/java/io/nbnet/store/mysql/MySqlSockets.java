package io.nbnet.store.mysql;

import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.internal.Connection;
import io.vertx.sqlclient.internal.SqlConnectionInternal;

import java.util.Optional;

/** The socket under a MySQL connection of Vert.x 5.0, for what its API does not offer. */
final class MySqlSockets {

  private MySqlSockets() {
  }

  /** The connection's socket; empty when the driver wraps it in something unknown. */
  static Optional<SocketConnectionBase> of(SqlConnection connection) {
    Connection current = ((SqlConnectionInternal) connection).unwrap();
    while (!(current instanceof SocketConnectionBase) && current.unwrap() != current) {
      current = current.unwrap();
    }
    return current instanceof SocketConnectionBase socket ? Optional.of(socket) : Optional.empty();
  }

  /**
   * Closes the socket at once: the statements in flight fail and the pool drops the connection. A pooled
   * connection's own {@code close()} hands it back to the pool instead, and a plain one's sends a quit
   * that waits behind a statement MySQL never answers.
   */
  static void closeNow(SqlConnection connection) {
    of(connection).ifPresentOrElse(socket -> socket.socket().close(), connection::close);
  }
}
