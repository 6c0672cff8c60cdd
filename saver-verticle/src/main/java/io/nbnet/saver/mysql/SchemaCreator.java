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
 * Creates the database, the legacy {@code stat_0..3} tables, the native shard tables and their view
 * when missing. Until that has succeeded the saver is not ready; it keeps trying every few seconds,
 * so a saver started before MySQL begins storing as soon as MySQL answers.
 */
public final class SchemaCreator {

  private static final Logger log = Logger.getLogger(SchemaCreator.class.getName());
  private static final long RETRY_MILLIS = 2_000;

  private final Vertx vertx;
  private final MySqlConfig mysql;
  private final ShardRule shards;
  private final Pool pool;
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
    List<String> statements = new ArrayList<>();
    for (int i = 0; i < SqlQueries.LEGACY_TABLES; i++) {
      statements.add(SqlQueries.createLegacyTable(i));
    }
    shards.tables().forEach(table -> statements.add(SqlQueries.createSampleTable(table)));
    statements.add(SqlQueries.createSamplesView(shards.viewName(), shards.tables()));
    return runInOrder(pool, statements);
  }

  private static Future<Void> runInOrder(SqlClient client, List<String> statements) {
    Future<Void> chain = Future.succeededFuture();
    for (String sql : statements) {
      chain = chain.compose(v -> client.query(sql).execute().mapEmpty());
    }
    return chain;
  }
}
