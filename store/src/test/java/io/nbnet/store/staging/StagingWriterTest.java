package io.nbnet.store.staging;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nbnet.store.BatchingConfig;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.Store;
import io.nbnet.store.StoreConfig;
import io.nbnet.store.metrics.StoreMeters;
import io.nbnet.store.mysql.DatabaseErrors;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staging writer on a real MariaDB: how parts wait and are flushed together, how a large part is
 * cut, how conflicts are told to the part that brought them, and how one bad part fails alone.
 */
@ExtendWith(VertxExtension.class)
class StagingWriterTest {

  private static final StoreConfig STORE = ConfigView.parse(new JsonObject(), "saver", saver -> StoreConfig.from(saver, new ArrayList<>()));
  private static final long T0 = 1_700_000_000_000L;

  private TestDatabase database;
  private Context context;
  private StoreMeters meters;

  @BeforeAll
  static void countMeters() {
    if (Metrics.globalRegistry.getRegistries().isEmpty()) {
      Metrics.addRegistry(new SimpleMeterRegistry());
    }
  }

  @BeforeEach
  void createSchema(Vertx vertx) {
    database = new TestDatabase(vertx);
    Await.result(Store.createSchema(vertx, MySqlConfig.from(ConfigView.of(database.mysqlConfig(), "mysql")), STORE), 60);
    context = vertx.getOrCreateContext();
    meters = new StoreMeters("staging-" + UUID.randomUUID(), STORE.layout());
  }

  @AfterEach
  void dropDatabase() {
    database.close();
  }

  @Test
  @DisplayName("parts waiting within flushMs are committed in one flush, and each is answered only once its rows are in")
  void partsWaitAndFlushTogether(Vertx vertx) {
    StagingWriter writer = writer(vertx, new BatchingConfig(1_000, 1_000, 500, 1));
    List<Future<Integer>> answers = onContext(() -> List.of(writer.add(part("a", 1, 0, 10)), writer.add(part("b", 2, 0, 20)),
      writer.add(part("c", 3, 0, 5))));
    assertFalse(answers.stream().anyMatch(Future::isComplete), "nothing is answered before its flush");
    answers.forEach(answer -> assertEquals(0, Await.result(answer)));
    assertEquals(35, database.count("SELECT COUNT(*) FROM samples_recent"));
    assertEquals(1, meters.flushLatency.count(), "one flush");
    assertEquals(35, meters.stagedRows.count());
  }

  @Test
  @DisplayName("a part larger than batchRows goes in slices of batchRows, answered once all are in")
  void largePartsGoInSlices(Vertx vertx) {
    StagingWriter writer = writer(vertx, new BatchingConfig(100, 0, 40, 2));
    assertEquals(0, Await.result(onContext(() -> writer.add(part("big", 1, 0, 250)))));
    assertEquals(250, database.count("SELECT COUNT(*) FROM samples_recent WHERE host_id = 1"));
    assertEquals(3, meters.flushLatency.count(), "three flushes of at most 100 rows");
  }

  @Test
  @DisplayName("the same sample again is no conflict; another value for a stored key counts for the part that sent it, the stored value stays")
  void conflictsKeepTheStoredValue(Vertx vertx) {
    StagingWriter writer = writer(vertx, new BatchingConfig(1_000, 0, 500, 1));
    StagedPart first = new StagedPart("a", 1, 2);
    first.add(T0, 1, 1.0, null, "cpu.user", "");
    first.add(T0, 2, 2.0, null, "cpu.idle", "");
    assertEquals(0, Await.result(onContext(() -> writer.add(first))));
    StagedPart again = new StagedPart("a", 1, 2);
    again.add(T0, 1, 1.0, null, "cpu.user", "");
    again.add(T0, 2, 5.0, null, "cpu.idle", "");
    assertEquals(1, Await.result(onContext(() -> writer.add(again))));
    assertEquals(2.0, database.query("SELECT value FROM samples_recent WHERE host_id = 1 AND series_id = 2").get(0).getDouble(0));
    assertEquals(1, meters.conflicts.count());
  }

  @Test
  @DisplayName("when MySQL refuses a batch's data, each part is written alone: only the bad part fails, the others are stored")
  void aBadPartFailsAlone(Vertx vertx) {
    StagingWriter writer = writer(vertx, new BatchingConfig(1_000, 1_000, 500, 1));
    StagedPart bad = new StagedPart("bad", 2, 1);
    bad.add(T0, 1, 0, "x".repeat(2_000), "plugin.state", "");
    List<Future<Integer>> answers = onContext(() -> List.of(writer.add(part("good", 1, 0, 10)), writer.add(bad)));
    assertEquals(0, Await.result(answers.get(0)));
    ExecutionException refused = assertThrows(ExecutionException.class,
      () -> answers.get(1).toCompletionStage().toCompletableFuture().get());
    assertTrue(DatabaseErrors.isDataError(refused.getCause()), String.valueOf(refused.getCause()));
    assertEquals(10, database.count("SELECT COUNT(*) FROM samples_recent"));
  }

  private StagingWriter writer(Vertx vertx, BatchingConfig batching) {
    Pool pool = database.pool();
    return onContext(() -> new StagingWriter(vertx, pool, STORE.layout(), batching, 10_000, meters));
  }

  /** A host's samples at {@code count} times a second apart, one series. */
  private static StagedPart part(String host, int hostId, int series, int count) {
    StagedPart part = new StagedPart(host, hostId, count);
    for (int i = 0; i < count; i++) {
      part.add(T0 + i * 1_000L, series, i, null, "m", "");
    }
    return part;
  }

  /** Runs on the writer's event loop, as a saver runs it. */
  private <T> T onContext(Supplier<T> call) {
    return Await.result(Future.<T>future(done -> context.runOnContext(v -> done.complete(call.get()))));
  }
}
