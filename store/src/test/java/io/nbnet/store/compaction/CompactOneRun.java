package io.nbnet.store.compaction;

import io.nbnet.store.MySqlConfig;
import io.nbnet.store.StoreConfig;
import io.nbnet.store.mysql.MySqlPools;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.util.ArrayList;

/**
 * One compaction of the compacting table, in a process of its own: {@link LargeWindowTest} runs it
 * with a small heap. Argument: the {@code mysql} section (JSON) of the database.
 */
public final class CompactOneRun {

  private CompactOneRun() {
  }

  public static void main(String[] args) {
    StorageLayout layout = ConfigView.parse(new JsonObject(), "saver", saver -> StoreConfig.from(saver, new ArrayList<>())).layout();
    Vertx vertx = Vertx.vertx();
    Pool pool = MySqlPools.maintenancePool(vertx, MySqlConfig.from(ConfigView.of(new JsonObject(args[0]), "mysql")), 2, "compact-one-run");
    WorkerExecutor cpu = vertx.createSharedWorkerExecutor("compaction", 1);
    SwapCompaction.Result result = Await.result(new SwapCompaction(pool, layout, cpu, new SeriesDays(layout), new HourRollups(pool, layout),
      new SwapCompaction.Scope(layout.compacting(), Long.MIN_VALUE, false, 0)).run(), 600);
    Runtime runtime = Runtime.getRuntime();
    System.out.println("compacted " + result.samples() + " samples, heap max " + runtime.maxMemory() / (1 << 20) + " MiB");
    Await.result(vertx.close());
    System.exit(0);
  }
}
