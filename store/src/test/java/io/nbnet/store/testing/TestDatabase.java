package io.nbnet.store.testing;

import io.nbnet.mariadb.MariaDbAddress;
import io.nbnet.mariadb.TestMariaDb;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.mysql.MySqlPools;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A database of its own for one test class, on the test MariaDB (127.0.0.1:3306 or embedded), with
 * blocking queries for assertions. Call from the test thread, never from an event loop.
 */
public final class TestDatabase implements AutoCloseable {

  private final Vertx vertx;
  private final MariaDbAddress address;
  private final String name = "nbnet_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private Pool pool;

  public TestDatabase(Vertx vertx) {
    this(vertx, TestMariaDb.address());
  }

  /** A database on another server, e.g. a second MariaDB for a second shard. */
  public TestDatabase(Vertx vertx, MariaDbAddress address) {
    this.vertx = vertx;
    this.address = address;
  }

  public String name() {
    return name;
  }

  /** The {@code mysql} section of a saver config pointing at this database. */
  public JsonObject mysqlConfig() {
    return new JsonObject().put("host", address.host()).put("port", address.port())
      .put("user", address.user()).put("password", address.password()).put("database", name);
  }

  public List<Row> query(String sql, Object... params) {
    List<Row> rows = new ArrayList<>();
    await(pool().preparedQuery(sql).execute(Tuple.from(params))).forEach(rows::add);
    return rows;
  }

  public long count(String sql, Object... params) {
    return query(sql, params).get(0).getLong(0);
  }

  public void execute(String sql) {
    await(pool().query(sql).execute());
  }

  /** Waits until {@code sql} counts at least {@code expected} rows; returns the last count. */
  public long awaitCount(long expected, long timeoutMillis, String sql, Object... params) {
    try {
      return Awaitility.await().atMost(timeoutMillis, TimeUnit.MILLISECONDS).until(() -> count(sql, params), count -> count >= expected);
    } catch (ConditionTimeoutException e) {
      return count(sql, params);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      await(pool.query("DROP DATABASE IF EXISTS `" + name + "`").execute());
      await(pool.close());
    }
  }

  /** A pool on this database (created on first use), for tests that drive writers directly. */
  public Pool pool() {
    if (pool == null) {
      MySqlConfig config = new MySqlConfig(address.host(), address.port(), address.user(), address.password(), name, 2, 1);
      Pool server = MySqlPools.pool(vertx, config, false, 1);
      await(server.query("CREATE DATABASE IF NOT EXISTS `" + name + "`").execute());
      await(server.close());
      pool = MySqlPools.pool(vertx, config, true, 2);
    }
    return pool;
  }

  /** A pool of {@code size} on {@code mysql}'s database ({@code withDatabase}) or its server alone. */
  public static Pool plainPool(Vertx vertx, MySqlConfig mysql, boolean withDatabase, int size) {
    return MySqlPools.pool(vertx, mysql, withDatabase, size);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
