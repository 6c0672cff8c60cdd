package io.nbnet.bench.storage;

import io.nbnet.store.CompactionConfig;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.RetentionConfig;
import io.nbnet.store.Store;
import io.nbnet.store.StoreConfig;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.support.config.ConfigView;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A database of the benchmark: dropped and created anew with the store's schema; pools for the benchmark's own SQL. */
final class BenchDatabase {

  /** A saver's store with its defaults. */
  static final StoreConfig STORE = ConfigView.parse(new JsonObject(), "saver", saver -> StoreConfig.from(saver, new ArrayList<>()));
  static final StorageLayout LAYOUT = STORE.layout();

  private BenchDatabase() {
  }

  static void recreate(Vertx vertx, MySqlConfig mysql) throws Exception {
    Pool server = pool(vertx, mysql, false, 1);
    await(server.query("DROP DATABASE IF EXISTS `" + mysql.database() + "`").execute(), 600);
    await(server.close(), 10);
    await(Store.createSchema(vertx, mysql, STORE), 120);
  }

  /** The {@code mysql} section of a saver's config for this database. */
  static JsonObject json(MySqlConfig mysql) {
    return new JsonObject().put("host", mysql.host()).put("port", mysql.port()).put("user", mysql.user()).put("password", mysql.password())
      .put("database", mysql.database());
  }

  /** A plain pool on the database ({@code withDatabase}) or on its server alone. */
  static Pool pool(Vertx vertx, MySqlConfig mysql, boolean withDatabase, int size) {
    return MySQLBuilder.pool().with(new PoolOptions().setMaxSize(size)).connectingTo(mysql.connectOptions(withDatabase)).using(vertx).build();
  }

  /** A store as a saver runs it, on an event loop of its own, and that event loop to use it from. */
  record OpenStore(Store store, Context context) {

    /** Runs {@code call} with the store on its event loop. */
    <T> Future<T> call(Function<Store, Future<T>> call) {
      return Future.future(done -> context.runOnContext(v -> call.apply(store).onComplete(done)));
    }
  }

  /** A store with these compaction and retention settings, its schema made and its maintenance started. */
  static OpenStore openStore(Vertx vertx, MySqlConfig mysql, CompactionConfig compaction, RetentionConfig retention) throws Exception {
    StoreConfig config = new StoreConfig(LAYOUT, STORE.batching(), STORE.maxCachedSeries(), retention, compaction, STORE.limits(),
      STORE.head());
    Context context = vertx.getOrCreateContext();
    Store store = await(Future.<Store>future(opened -> context.runOnContext(v -> {
      Store created = Store.open(vertx, "mysql", config, mysql);
      created.createNowOrLater().map(created).onComplete(opened);
    })), 120);
    return new OpenStore(store, context);
  }

  /** A multi-row INSERT of staged samples (host id, time, series id, value), as the saver writes them. */
  static String insertStaged(int rows) {
    StringBuilder sql = new StringBuilder("INSERT INTO `" + LAYOUT.recent() + "` (`host_id`, `ts`, `series_id`, `value`) VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "(?,?,?,?)" : ",(?,?,?,?)");
    }
    return sql.toString();
  }

  static <T> T await(Future<T> future, long seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }
}
