package io.nbnet.store.testing;

import io.nbnet.formats.Sample;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.Store;
import io.nbnet.store.StoreConfig;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link Store} on a {@link TestDatabase}, opened on an event-loop context of its own as a saver
 * opens it, driven from the test thread: each call runs on that context and waits for its outcome.
 */
public final class TestStore implements AutoCloseable {

  private final Context context;
  private final Store store;

  /** @param saver the saver section's store keys ({@code samples}, {@code retention}, {@code compaction}) */
  public TestStore(Vertx vertx, TestDatabase database, JsonObject saver) {
    this.context = vertx.getOrCreateContext();
    StoreConfig config = ConfigView.parse(saver, "saver", view -> StoreConfig.from(view, new ArrayList<>()));
    MySqlConfig mysql = MySqlConfig.from(ConfigView.of(database.mysqlConfig(), "mysql"));
    this.store = Await.result(Future.<Store>future(opened -> context.runOnContext(v -> {
      Store created = Store.open(vertx, "mysql", config, mysql);
      created.createNowOrLater().map(created).onComplete(opened);
    })), 60);
  }

  /** Writes the samples and returns the number that conflicted with stored values. */
  public int write(List<Sample> samples) {
    return on(ignored -> store.write(samples));
  }

  /** Runs {@code call} with the store on its context and waits for its outcome. */
  public <T> T on(Function<Store, Future<T>> call) {
    return Await.result(Future.<T>future(promise -> context.runOnContext(v -> call.apply(store).onComplete(promise))), 60);
  }

  @Override
  public void close() {
    on(Store::stop);
  }
}
