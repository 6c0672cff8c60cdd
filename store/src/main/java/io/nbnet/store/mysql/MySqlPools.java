package io.nbnet.store.mysql;

import io.nbnet.store.MySqlConfig;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.util.concurrent.TimeUnit;

/** Builds the reactive MySQL pools the saver writes with. */
public final class MySqlPools {

  private MySqlPools() {
  }

  public static Pool pool(Vertx vertx, MySqlConfig config, boolean withDatabase, int size) {
    return pool(vertx, config, withDatabase, size, PoolOptions.DEFAULT_NAME);
  }

  /** A pool whose meters carry {@code name} (two pools of one name would register the same gauges). */
  public static Pool pool(Vertx vertx, MySqlConfig config, boolean withDatabase, int size, String name) {
    return MySQLBuilder.pool()
      .with(new PoolOptions().setMaxSize(size).setName(name))
      .connectingTo(config.connectOptions(withDatabase))
      .using(vertx)
      .build();
  }

  /**
   * The pool frames are stored with: short statements only, no connection held on purpose. A connection
   * on which a statement gets no answer for {@code responseTimeoutMillis} is closed, so a statement sent
   * into a network that drops packets fails and is retried instead of holding its frames and its
   * connection for ever; a statement that waits as long for a connection (new ones do not get through
   * either) fails too. Connections idle for half that time are closed (and opened again when needed).
   */
  public static Pool writePool(Vertx vertx, MySqlConfig config, String name) {
    return responseBoundedPool(vertx, config, config.poolSize(), name, config.responseTimeoutMillis(), config.pipeliningLimit());
  }

  /**
   * The pool compaction, retention and the liveness check work with: as {@link #writePool}, bounded by
   * {@code maintenanceTimeoutMillis}, so a silent MySQL cannot stop them for good. Its statements go one at
   * a time whatever {@code pipeliningLimit} says: behind another on a lost connection, a statement would
   * wait for ever (Vert.x 5.0.7's MySQL codec fails only the first), and the round with it.
   */
  public static Pool maintenancePool(Vertx vertx, MySqlConfig config, int size, String name) {
    return responseBoundedPool(vertx, config, size, name, config.maintenanceTimeoutMillis(), 1);
  }

  /**
   * The pool the query API reads with: as {@link #writePool}, bounded by the longer of the response
   * timeout and the statements' own limit ({@code queryTimeoutMillis}, enforced by MySQL) plus a second,
   * so a silent MySQL cannot keep the API's query slots for good; one statement at a time, as the
   * maintenance pool.
   */
  public static Pool queryPool(Vertx vertx, MySqlConfig config, int size, String name, long queryTimeoutMillis) {
    return responseBoundedPool(vertx, config, size, name, Math.max(config.responseTimeoutMillis(), queryTimeoutMillis + 1_000),
      1);
  }

  private static Pool responseBoundedPool(Vertx vertx, MySqlConfig config, int size, String name, long timeoutMillis,
                                         int pipeliningLimit) {
    Pool pool = MySQLBuilder.pool()
      .with(new PoolOptions().setMaxSize(size).setName(name)
        .setConnectionTimeout((int) timeoutMillis).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        // the pool closes an idle connection well before its response timeout would, so it never hands one out as that closes it
        .setIdleTimeout((int) timeoutMillis / 2).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setPoolCleanerPeriod((int) Math.min(1_000, timeoutMillis / 4)))
      .connectingTo(config.connectOptions(true).setPipeliningLimit(pipeliningLimit))
      .using(vertx)
      .build();
    return new ResponseBoundedPool(pool, timeoutMillis);
  }
}
