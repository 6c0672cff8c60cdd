package io.nbnet.store.schema;

import io.nbnet.formats.SampleLimits;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.legacy.LegacySql;
import io.nbnet.store.mysql.MySqlPools;
import io.nbnet.store.series.SeriesSql;
import io.nbnet.store.tables.StorageLayout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Creates the database and the tables and views of {@link Schema} (the statements of
 * deploy/create.sql) when missing, with MariaDB's or MySQL's binary NO PAD collation, whichever
 * server answers. Until that has succeeded the saver is not ready; it keeps trying every few seconds,
 * so a saver started before MySQL begins storing as soon as MySQL answers. Legacy tables that an
 * older system created with a collation that pads or folds host names are left as they are, with one
 * log line saying how to change them.
 */
public final class SchemaCreator {

  private static final Logger log = Logger.getLogger(SchemaCreator.class.getName());
  private static final long RETRY_MILLIS = 2_000;

  private final Vertx vertx;
  private final MySqlConfig mysql;
  private final StorageLayout layout;
  private final Pool pool;
  private final List<Runnable> readyActions = new ArrayList<>();
  private boolean ready;
  private boolean stopped;
  private long retryTimer = -1;

  public SchemaCreator(Vertx vertx, MySqlConfig mysql, StorageLayout layout, Pool pool) {
    this.vertx = vertx;
    this.mysql = mysql;
    this.layout = layout;
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

  /** One attempt, which fails when the database does not answer; readiness is not tracked. */
  public Future<Void> createOnce() {
    return createSchema();
  }

  private Future<Void> createSchema() {
    return createDatabase()
      .compose(v -> collation())
      .compose(collation -> runInOrder(pool, Schema.statements(layout.withCollation(collation))))
      .compose(v -> addMissingHostColumns())
      .compose(v -> widenSeriesTags())
      .compose(v -> reportPaddingLegacyTables());
  }

  private Future<Void> createDatabase() {
    Pool serverPool = MySqlPools.pool(vertx, mysql, false, 1, "nbnet-schema");
    return serverPool.query(Schema.createDatabase(mysql.database())).execute()
      .<Void>mapEmpty()
      .eventually(serverPool::close);
  }

  /** MariaDB's binary NO PAD collation, or MySQL 8's. */
  private Future<String> collation() {
    return pool.query("SELECT VERSION()").execute().map(rows -> rows.iterator().next().getString(0).contains("MariaDB")
      ? StorageLayout.MARIADB_COLLATION : StorageLayout.MYSQL_COLLATION);
  }

  /** A hosts table created before the liveness check gets its status columns. */
  private Future<Void> addMissingHostColumns() {
    return pool.preparedQuery(SeriesSql.tableColumns()).execute(Tuple.of(layout.hosts())).compose(rows -> {
      List<String> present = new ArrayList<>();
      rows.forEach(row -> present.add(row.getString(0)));
      List<String> missing = SeriesSql.hostStatusColumns().entrySet().stream()
        .filter(column -> !present.contains(column.getKey()))
        .map(column -> "ALTER TABLE `" + layout.hosts() + "` ADD COLUMN " + column.getValue())
        .toList();
      missing.forEach(sql -> log.info("upgrading the hosts table: " + sql));
      return runInOrder(pool, missing);
    });
  }

  /** A series table whose tags stop at 255 characters gets the wide tags and their hash (a rebuild: as long as a copy of the table takes). */
  private Future<Void> widenSeriesTags() {
    return pool.preparedQuery(SeriesSql.tableColumns()).execute(Tuple.of(layout.series())).compose(rows -> {
      for (Row row : rows) {
        if (row.getString(0).equals("tags_hash")) {
          return Future.succeededFuture();
        }
      }
      String sql = SeriesSql.widenTags(layout);
      log.info("upgrading the series table for tags of up to " + SampleLimits.MAX_TAGS_CHARS + " characters: " + sql);
      return pool.query(sql).execute().mapEmpty();
    });
  }

  private Future<Void> reportPaddingLegacyTables() {
    return pool.query(LegacySql.paddingHostColumns()).execute().map(rows -> {
      for (Row row : rows) {
        log.warning("legacy table " + row.getString(0) + " compares host names with " + row.getString(1)
          + ", which pads or folds them ('WEB1' and 'web1 ' are one host there): see the README's 'Host names' for the ALTER");
      }
      return null;
    });
  }

  private static Future<Void> runInOrder(SqlClient client, List<String> statements) {
    Future<Void> chain = Future.succeededFuture();
    for (String sql : statements) {
      chain = chain.compose(v -> client.query(sql).execute().mapEmpty());
    }
    return chain;
  }
}
