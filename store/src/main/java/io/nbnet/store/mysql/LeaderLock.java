package io.nbnet.store.mysql;

import io.nbnet.store.Leadership;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One job among several savers: whoever holds a MySQL lock ({@code GET_LOCK}, named after the job and
 * the database) on a connection of its own does it. When that saver dies its connection and the lock
 * go, and the next one to ask takes over. The holder asks MySQL on that connection, each time it is
 * about to do the job, whether the lock is still its own: a connection that broke without a word (a
 * firewall that forgot it, a network that drops packets) is given up, within the check's timeout,
 * instead of doing the job on a lock MySQL may have given to another saver.
 */
public final class LeaderLock implements Leadership {

  private static final Logger log = Logger.getLogger(LeaderLock.class.getName());
  /** Giving the lock back at stop waits no longer than this: closing the socket frees it too. */
  private static final long RELEASE_TIMEOUT_MILLIS = 2_000;

  private final Pool pool;
  private final String job;
  private final String duty;
  private final long checkTimeoutMillis;
  private SqlConnection connection;

  /**
   * @param job                the lock's name, {@code nbnet.<job>.<database>}
   * @param duty               what the holder does, for the log: "compacts the staging windows"
   * @param checkTimeoutMillis a check of the held lock without an answer by then gives the lock up
   */
  public LeaderLock(Pool pool, String job, String duty, long checkTimeoutMillis) {
    this.pool = pool;
    this.job = job;
    this.duty = duty;
    this.checkTimeoutMillis = checkTimeoutMillis;
  }

  /** True when this saver holds the lock, taking it if nobody does. */
  @Override
  public Future<Boolean> lead() {
    return connection != null ? stillHeld(connection) : take();
  }

  private Future<Boolean> take() {
    return pool.getConnection().compose(candidate -> candidate.query("SELECT GET_LOCK(" + lockName() + ", 0)")
      .execute().map(rows -> {
        Row row = rows.iterator().next();
        if (row.getValue(0) == null || row.getInteger(0) != 1) {
          candidate.close();
          return false;
        }
        connection = candidate;
        // idle between rounds and under a long round by design: the pool's silence bound would close it
        // mid-round and free the lock under a saver still at work; lead() bounds its own check instead
        ResponseTimeout.remove(candidate);
        candidate.closeHandler(v -> {
          if (connection == candidate) {
            connection = null;
            log.warning("lost the " + job + " lock with its connection; another saver (or this one, later) takes over");
          }
        });
        log.info("this saver " + duty + " (it holds the " + job + " lock)");
        return true;
      }).onFailure(failure -> candidate.close())); // else the connection's pool slot is lost
  }

  private Future<Boolean> stillHeld(SqlConnection held) {
    return held.query("SELECT IS_USED_LOCK(" + lockName() + ") = CONNECTION_ID()").execute()
      .timeout(checkTimeoutMillis, TimeUnit.MILLISECONDS)
      .map(rows -> Integer.valueOf(1).equals(rows.iterator().next().getInteger(0)))
      .recover(failure -> Future.succeededFuture(false))
      .map(ours -> {
        if (!ours && connection == held) {
          connection = null;
          log.warning("gave up the " + job + " lock: MySQL did not confirm it on its connection within " + checkTimeoutMillis
            + " ms; another saver (or this one, later) takes over");
          MySqlSockets.closeNow(held);
        }
        return ours;
      });
  }

  private String lockName() {
    return "CONCAT('nbnet." + job + ".', DATABASE())";
  }

  @Override
  public boolean held() {
    return connection != null;
  }

  /** Gives the lock back; closing its connection would only return that to the pool with the lock still on it. */
  @Override
  public Future<Void> release() {
    SqlConnection held = connection;
    connection = null;
    if (held == null) {
      return Future.succeededFuture();
    }
    return held.query("DO RELEASE_LOCK(" + lockName() + ")").execute()
      .timeout(RELEASE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
      .compose(released -> held.close(), failure -> {
        MySqlSockets.closeNow(held);
        return Future.succeededFuture();
      });
  }
}
