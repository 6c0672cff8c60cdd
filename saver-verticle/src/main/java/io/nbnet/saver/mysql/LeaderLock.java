package io.nbnet.saver.mysql;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;

import java.util.logging.Logger;

/**
 * One job among several savers: whoever holds a MySQL lock ({@code GET_LOCK}, named after the job and
 * the database) on a connection of its own does it. When that saver dies its connection and the lock
 * go, and the next one to ask takes over.
 */
public final class LeaderLock {

  private static final Logger log = Logger.getLogger(LeaderLock.class.getName());

  private final Pool pool;
  private final String job;
  private final String duty;
  private SqlConnection connection;

  /**
   * @param job  the lock's name, {@code nbnet.<job>.<database>}
   * @param duty what the holder does, for the log: "compacts the staging windows"
   */
  public LeaderLock(Pool pool, String job, String duty) {
    this.pool = pool;
    this.job = job;
    this.duty = duty;
  }

  /** True when this saver holds the lock, taking it if nobody does. */
  public Future<Boolean> lead() {
    if (connection != null) {
      return Future.succeededFuture(true);
    }
    return pool.getConnection().compose(candidate -> candidate.query("SELECT GET_LOCK(CONCAT('nbnet." + job + ".', DATABASE()), 0)")
      .execute().map(rows -> {
        Row row = rows.iterator().next();
        if (row.getValue(0) == null || row.getInteger(0) != 1) {
          candidate.close();
          return false;
        }
        connection = candidate;
        candidate.closeHandler(v -> {
          connection = null;
          log.warning("lost the " + job + " lock with its connection; another saver (or this one, later) takes over");
        });
        log.info("this saver " + duty + " (it holds the " + job + " lock)");
        return true;
      }));
  }

  public boolean held() {
    return connection != null;
  }

  public Future<Void> release() {
    SqlConnection held = connection;
    connection = null;
    return held == null ? Future.succeededFuture() : held.close();
  }
}
