package io.nbnet.bench.storage;

import io.nbnet.saver.layout.StorageLayout;
import io.nbnet.saver.mysql.MySqlConfig;
import io.nbnet.saver.mysql.MySqlPools;
import io.nbnet.saver.schema.Schema;
import io.nbnet.saver.schema.SchemaCreator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.util.concurrent.TimeUnit;

/** A database of the benchmark: dropped and created anew, with the saver's schema. */
final class BenchDatabase {

  static final StorageLayout LAYOUT = StorageLayout.mariaDb("samples_");

  private BenchDatabase() {
  }

  static void recreate(Vertx vertx, MySqlConfig mysql) throws Exception {
    Pool server = MySqlPools.pool(vertx, mysql, false, 1);
    await(server.query("DROP DATABASE IF EXISTS `" + mysql.database() + "`").execute(), 600);
    await(server.query(Schema.createDatabase(mysql.database())).execute(), 60);
    await(server.close(), 10);
    Pool pool = MySqlPools.pool(vertx, mysql, true, 1);
    await(new SchemaCreator(vertx, mysql, LAYOUT, pool).createNowOrLater(), 120);
    await(pool.close(), 10);
  }

  static <T> T await(Future<T> future, long seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }
}
