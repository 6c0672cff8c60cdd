package io.nbnet.saver.mysql;

import io.nbnet.saver.testing.TestDatabase;
import io.nbnet.support.config.ConfigView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A MySQL connection lost while statements wait on it (MySQL restarted, the connection killed): every
 * one of them fails at once, in both of the saver's pools, so a flush is retried and a lock given up
 * instead of waiting for the response timeout (writes) or for ever (maintenance). With Vert.x 5.0.7's
 * MySQL codec only the first of several statements in flight on a connection is failed when it closes:
 * the saver's default sends them one after the other.
 */
@ExtendWith(VertxExtension.class)
class LostConnectionTest {

  private TestDatabase database;
  private MySqlConfig mysql;
  private final List<Pool> pools = new ArrayList<>();

  @BeforeEach
  void createDatabase(Vertx vertx) {
    database = new TestDatabase(vertx);
    database.execute("SELECT 1"); // creates the database
    mysql = MySqlConfig.from(ConfigView.of(database.mysqlConfig().copy(), "mysql"));
  }

  @AfterEach
  void close() throws Exception {
    for (Pool pool : pools) {
      await(pool.close());
    }
    database.close();
  }

  @Test
  @DisplayName("the write pool: three statements waiting on a connection that is killed all fail within a second")
  void writePool(Vertx vertx) throws Exception {
    assertEveryWaitingStatementFails(pool(MySqlPools.writePool(vertx, mysql, "nbnet-lost-write")));
  }

  @Test
  @DisplayName("the maintenance pool: three statements waiting on a connection that is killed all fail within a second")
  void maintenancePool(Vertx vertx) throws Exception {
    assertEveryWaitingStatementFails(pool(MySqlPools.pool(vertx, mysql, true, 2, "nbnet-lost-maintenance")));
  }

  private void assertEveryWaitingStatementFails(Pool pool) throws Exception {
    SqlConnection connection = await(pool.getConnection());
    try {
      long id = await(connection.query("SELECT CONNECTION_ID()").execute()).iterator().next().getLong(0);
      List<Future<?>> waiting = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        waiting.add(connection.query("SELECT SLEEP(20)").execute());
      }
      database.execute("KILL CONNECTION " + id);
      long began = System.nanoTime();
      try {
        Future.join(waiting).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException expected) {
        // they fail; one still waiting is counted below
      }
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
      assertEquals(0, waiting.stream().filter(statement -> !statement.isComplete()).count(), "statements still waiting on the killed connection");
      assertEquals(3, waiting.stream().filter(Future::failed).count());
      assertTrue(tookMillis < 1_000, "the last of them failed after " + tookMillis + " ms");
    } finally {
      connection.close();
    }
  }

  private Pool pool(Pool pool) {
    pools.add(pool);
    return pool;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
