package io.nbnet.store.mysql;

import io.nbnet.store.MySqlConfig;
import io.nbnet.store.testing.TcpProxy;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.testing.Await;
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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MySQL connections lost or gone silent, on a real MariaDB. Lost while statements wait on it (MySQL
 * restarted, the connection killed): every one of them fails at once, in both of the saver's pools, so
 * a flush is retried instead of waiting for the response timeout. With Vert.x 5.0.7's MySQL codec only
 * the first of several statements in flight on a connection is failed when it closes: the saver's
 * default sends them one after the other. Silent under a leader lock (behind a relay that stops
 * passing packets): the holder gives the lock up and another saver takes over.
 */
@ExtendWith(VertxExtension.class)
class LostConnectionTest {

  private static final long CHECK_TIMEOUT_MILLIS = 1_000;

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
      Await.result(pool.close());
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
    assertEveryWaitingStatementFails(pool(MySqlPools.maintenancePool(vertx, mysql, 2, "nbnet-lost-maintenance")));
  }

  @Test
  @DisplayName("a leader lock: one saver holds it and keeps it from check to check, the other does not get it until it is released")
  void oneHolder(Vertx vertx) throws Exception {
    LeaderLock first = lock(vertx, mysql);
    LeaderLock second = lock(vertx, mysql);
    assertTrue(Await.result(first.lead()));
    assertFalse(Await.result(second.lead()));
    assertTrue(Await.result(first.lead()), "the holder's check confirms its lock");
    assertFalse(Await.result(second.lead()));
    Await.result(first.release());
    await().atMost(10, TimeUnit.SECONDS).until(() -> Await.result(second.lead()));
  }

  @Test
  @DisplayName("a leader lock sits idle past its pool's silence bound (maintenanceTimeoutMs 1 s) and is still held: a long round cannot lose it")
  void idleLockOutlivesThePoolBound(Vertx vertx) throws Exception {
    MySqlConfig oneSecond = MySqlConfig.from(ConfigView.of(database.mysqlConfig().copy().put("maintenanceTimeoutMs", 1_000), "mysql"));
    LeaderLock holder = lock(vertx, oneSecond);
    LeaderLock other = lock(vertx, mysql);
    assertTrue(Await.result(holder.lead()));
    await().during(2_500, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS).until(holder::held);
    assertFalse(Await.result(other.lead()), "the lock stayed with its holder");
    assertTrue(Await.result(holder.lead()));
  }

  @Test
  @DisplayName("a leader lock whose connection stops passing packets: its check gives the lock up within the timeout, and the other saver takes over")
  void silentConnectionGivesTheLockUp(Vertx vertx) throws Exception {
    TcpProxy relay = new TcpProxy(vertx, 0, mysql.host(), mysql.port());
    relay.open();
    LeaderLock holder = lock(vertx, mysql.withPort(relay.port()));
    LeaderLock other = lock(vertx, mysql);
    assertTrue(Await.result(holder.lead()));
    assertFalse(Await.result(other.lead()));
    relay.stall();
    long began = System.nanoTime();
    assertFalse(Await.result(holder.lead()), "a lock MySQL cannot confirm is not led on");
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
    assertTrue(tookMillis >= CHECK_TIMEOUT_MILLIS - 100 && tookMillis < CHECK_TIMEOUT_MILLIS + 2_000, "gave up after " + tookMillis + " ms");
    assertFalse(holder.held());
    // closing the silent connection reaches MariaDB through the relay, which frees the lock
    await().atMost(10, TimeUnit.SECONDS).until(() -> Await.result(other.lead()));
  }

  private void assertEveryWaitingStatementFails(Pool pool) throws Exception {
    SqlConnection connection = Await.result(pool.getConnection());
    try {
      long id = Await.result(connection.query("SELECT CONNECTION_ID()").execute()).iterator().next().getLong(0);
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

  private LeaderLock lock(Vertx vertx, MySqlConfig config) {
    Pool pool = MySqlPools.maintenancePool(vertx, config, 2, "nbnet-leader-" + pools.size());
    pools.add(pool);
    return new LeaderLock(pool, "leader-test", "runs the test's job", CHECK_TIMEOUT_MILLIS);
  }

  private Pool pool(Pool pool) {
    pools.add(pool);
    return pool;
  }

}
