package io.nbnet.store.mysql;

import io.nbnet.store.MySqlConfig;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The saver's write, maintenance and query pools on a real MariaDB: every way in runs its statement,
 * and none waits past its pool's bound (the write pool's {@code responseTimeoutMs}, the maintenance
 * pool's {@code maintenanceTimeoutMs}: each test sets its pool's to a second and the other's to a
 * minute; the query pool's is the response timeout or a second past the statements' own limit).
 */
@ExtendWith(VertxExtension.class)
class BoundedPoolsTest {

  private static final long RESPONSE_TIMEOUT_MILLIS = 1_000;
  private static final long UNUSED_TIMEOUT_MILLIS = 60_000;

  private Vertx vertx;
  private TestDatabase database;
  private Pool pool;

  @BeforeEach
  void createDatabase(Vertx vertx) {
    this.vertx = vertx;
    database = new TestDatabase(vertx);
    database.pool(); // creates the database
  }

  private void openPool(String kind) {
    boolean maintenance = kind.equals("maintenance");
    MySqlConfig mysql = MySqlConfig.from(ConfigView.of(database.mysqlConfig().copy().put("poolSize", 2)
      .put("responseTimeoutMs", maintenance ? UNUSED_TIMEOUT_MILLIS : RESPONSE_TIMEOUT_MILLIS)
      .put("maintenanceTimeoutMs", maintenance ? RESPONSE_TIMEOUT_MILLIS : UNUSED_TIMEOUT_MILLIS), "mysql"));
    pool = switch (kind) {
      case "write" -> MySqlPools.writePool(vertx, mysql, "nbnet-write-pool-test");
      case "maintenance" -> MySqlPools.maintenancePool(vertx, mysql, 2, "nbnet-maintenance-pool-test");
      default -> MySqlPools.queryPool(vertx, mysql, 2, "nbnet-query-pool-test", 100);
    };
  }

  @AfterEach
  void closePool() throws Exception {
    if (pool != null) {
      Await.result(pool.close());
    }
    database.close();
  }

  @ParameterizedTest(name = "the {0} pool")
  @ValueSource(strings = {"write", "maintenance", "query"})
  @DisplayName("queries, prepared queries, batches, mapped rows and transactions run through the pool")
  void everyWayInRuns(String kind) throws Exception {
    openPool(kind);
    database.execute("CREATE TABLE t (k INT PRIMARY KEY)");
    assertEquals(1, Await.result(pool.query("SELECT 1").execute()).iterator().next().getInteger(0));
    assertEquals(7, Await.result(pool.preparedQuery("SELECT ?").execute(Tuple.of(7))).iterator().next().getInteger(0));
    Await.result(pool.preparedQuery("INSERT INTO t VALUES (?)").executeBatch(List.of(Tuple.of(1), Tuple.of(2))));
    assertEquals(1, Await.result(pool.withTransaction(connection -> connection.query("INSERT INTO t VALUES (3)").execute())).rowCount());
    List<Integer> keys = new ArrayList<>();
    Await.result(pool.preparedQuery("SELECT k FROM t WHERE k > ? ORDER BY k").mapping(row -> row.getInteger(0)).execute(Tuple.of(0))).forEach(keys::add);
    assertEquals(List.of(1, 2, 3), keys);
  }

  @ParameterizedTest(name = "the {0} pool")
  @ValueSource(strings = {"write", "maintenance", "query"})
  @DisplayName("a statement MySQL does not answer within the pool's bound fails, whichever way it came in; the pool serves the next ones")
  void noStatementWaitsPastTheBound(String kind) throws Exception {
    openPool(kind);
    List<Supplier<Future<?>>> silentFor5s = List.of(
      () -> pool.query("SELECT SLEEP(5)").execute(),
      () -> pool.preparedQuery("SELECT SLEEP(?)").execute(Tuple.of(5)),
      () -> pool.withConnection(connection -> connection.query("SELECT SLEEP(5)").execute()));
    for (int i = 0; i < silentFor5s.size(); i++) {
      Supplier<Future<?>> statement = silentFor5s.get(i);
      long began = System.nanoTime();
      RuntimeException failure = assertThrows(RuntimeException.class, () -> Await.result(statement.get()));
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
      assertTrue(tookMillis < 4_000, "failed after " + tookMillis + " ms");
      if (i == 0) {
        // on a fresh connection: closed for its silence. A later one may instead be handed the connection
        // just closed, before the pool has dropped it, and fail at once
        assertInstanceOf(ClosedConnectionException.class, failure);
        assertTrue(tookMillis >= RESPONSE_TIMEOUT_MILLIS - 100, "failed after " + tookMillis + " ms");
      }
    }
    Awaitility.await().atMost(5, TimeUnit.SECONDS).ignoreExceptions()
      .until(() -> Await.result(pool.query("SELECT 1").execute()).iterator().next().getInteger(0) == 1);
    for (int i = 0; i < 4; i++) {
      Row row = Await.result(pool.query("SELECT 1").execute()).iterator().next();
      assertEquals(1, row.getInteger(0));
    }
  }

}
