package io.nbnet.saver.mysql;

import io.nbnet.saver.testing.TcpProxy;
import io.nbnet.saver.testing.TestDatabase;
import io.nbnet.support.config.ConfigView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two savers' leader locks on a real MariaDB, one of them behind a relay that can stop passing packets. */
@ExtendWith(VertxExtension.class)
class LeaderLockTest {

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
      result(pool.close());
    }
    database.close();
  }

  @Test
  @DisplayName("one saver holds the lock and keeps it from check to check; the other does not get it")
  void oneHolder(Vertx vertx) throws Exception {
    LeaderLock first = lock(vertx, mysql);
    LeaderLock second = lock(vertx, mysql);
    assertTrue(result(first.lead()));
    assertFalse(result(second.lead()));
    assertTrue(result(first.lead()), "the holder's check confirms its lock");
    assertFalse(result(second.lead()));
    result(first.release());
    await().atMost(10, TimeUnit.SECONDS).until(() -> result(second.lead()));
  }

  @Test
  @DisplayName("the holder's connection stops passing packets: its check gives the lock up within the timeout, and the other saver takes over")
  void silentConnectionGivesTheLockUp(Vertx vertx) throws Exception {
    TcpProxy relay = new TcpProxy(vertx, 0, mysql.host(), mysql.port());
    relay.open();
    LeaderLock holder = lock(vertx, mysql.withPort(relay.port()));
    LeaderLock other = lock(vertx, mysql);
    assertTrue(result(holder.lead()));
    assertFalse(result(other.lead()));
    relay.stall();
    long began = System.nanoTime();
    assertFalse(result(holder.lead()), "a lock MySQL cannot confirm is not led on");
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
    assertTrue(tookMillis >= CHECK_TIMEOUT_MILLIS - 100 && tookMillis < CHECK_TIMEOUT_MILLIS + 2_000, "gave up after " + tookMillis + " ms");
    assertFalse(holder.held());
    // closing the silent connection reaches MariaDB through the relay, which frees the lock
    await().atMost(10, TimeUnit.SECONDS).until(() -> result(other.lead()));
  }

  private LeaderLock lock(Vertx vertx, MySqlConfig config) {
    Pool pool = MySqlPools.pool(vertx, config, true, 2, "nbnet-leader-" + pools.size());
    pools.add(pool);
    return new LeaderLock(pool, "leader-test", "runs the test's job", CHECK_TIMEOUT_MILLIS);
  }

  private static <T> T result(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
