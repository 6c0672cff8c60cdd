package io.nbnet.saver.mysql;

import io.nbnet.saver.samples.ShardRule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Creates the database and the tables of {@link SqlQueries#createTables} (the statements of
 * deploy/create.sql) when missing; the RetentionManager then adds the day partitions. Until that has succeeded the saver is not ready; it keeps trying every few seconds,
 * so a saver started before MySQL begins storing as soon as MySQL answers.
 */
public final class SchemaCreator {

  private static final Logger log = Logger.getLogger(SchemaCreator.class.getName());
  private static final long RETRY_MILLIS = 2_000;

  private final Vertx vertx;
  private final MySqlConfig mysql;
  private final ShardRule shards;
  private final Pool pool;
  private final List<Runnable> readyActions = new ArrayList<>();
  private boolean ready;
  private boolean stopped;
  private long retryTimer = -1;

  public SchemaCreator(Vertx vertx, MySqlConfig mysql, ShardRule shards, Pool pool) {
    this.vertx = vertx;
    this.mysql = mysql;
    this.shards = shards;
    this.pool = pool;
  }

  public boolean isReady() {
    return ready;
  }

  /** Runs {@code action} once the schema exists (at once if it already does). */
  public void onReady(Runnable action) {
    if (ready) {
      action.run();
    } else {
      readyActions.add(action);
    }
  }

  /**
   * Makes one attempt now; when it fails, logs why and keeps retrying in the background.
   * The returned future always succeeds once the first attempt is over.
   */
  public Future<Void> createNowOrLater() {
    return createSchema()
      .onSuccess(v -> markReady())
      .recover(failure -> {
        log.warning("MySQL at " + mysql.host() + ":" + mysql.port() + " is not usable yet (" + failure.getMessage()
          + "); retrying every " + RETRY_MILLIS + " ms, frames get 'ERR unavailable' until then");
        scheduleRetry();
        return Future.succeededFuture();
      });
  }

  public void stop() {
    stopped = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
  }

  private void scheduleRetry() {
    if (stopped) {
      return;
    }
    retryTimer = vertx.setTimer(RETRY_MILLIS, id -> createSchema()
      .onSuccess(v -> markReady())
      .onFailure(failure -> scheduleRetry()));
  }

  private void markReady() {
    ready = true;
    readyActions.forEach(Runnable::run);
    readyActions.clear();
    log.info("MySQL schema ready in database " + mysql.database() + " at " + mysql.host() + ":" + mysql.port());
  }

  private Future<Void> createSchema() {
    return createDatabase().compose(v -> createTables());
  }

  private Future<Void> createDatabase() {
    Pool serverPool = MySqlPools.pool(vertx, mysql, false, 1);
    return serverPool.query(SqlQueries.createDatabase(mysql.database())).execute()
      .<Void>mapEmpty()
      .eventually(serverPool::close);
  }

  private Future<Void> createTables() {
    return runInOrder(pool, SqlQueries.createTables(shards));
  }

  private static Future<Void> runInOrder(SqlClient client, List<String> statements) {
    Future<Void> chain = Future.succeededFuture();
    for (String sql : statements) {
      chain = chain.compose(v -> client.query(sql).execute().mapEmpty());
    }
    return chain;
  }
}
