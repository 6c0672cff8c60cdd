package io.nbnet.saver.samples;

import io.nbnet.formats.Sample;
import io.nbnet.saver.mysql.DatabaseErrors;
import io.nbnet.saver.mysql.SqlQueries;
import io.nbnet.saver.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-table batcher against a real MariaDB table. */
@ExtendWith(VertxExtension.class)
class TableBatcherTest {

  private TestDatabase database;

  @BeforeEach
  void createTable(Vertx vertx) {
    database = new TestDatabase(vertx);
    database.execute(SqlQueries.createSampleTable("batch_rows", ""));
    // NOT NULL on value makes a text sample a row MySQL rejects: a frame that can never be stored
    database.execute("ALTER TABLE batch_rows MODIFY `value` DOUBLE NOT NULL");
  }

  @AfterEach
  void dropDatabase() {
    database.close();
  }

  @Test
  @DisplayName("the rows of many frames are written together and every frame learns when its rows are committed")
  void batchesFrames(Vertx vertx) throws Exception {
    List<Future<Void>> parts = onContext(vertx, () -> {
      TableBatcher batcher = new TableBatcher(vertx, database.pool(), "batch_rows", new BatchSettings(1000, 50, 64, 1));
      List<Future<Void>> added = new ArrayList<>();
      for (int frame = 0; frame < 300; frame++) {
        added.add(batcher.add(rows("host-" + frame, 5)));
      }
      return added;
    });
    Future.all(parts).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(1500, database.count("SELECT COUNT(*) FROM batch_rows"));
  }

  @Test
  @DisplayName("a frame MySQL rejects fails alone; the frames batched with it are stored")
  void isolatesBadFrame(Vertx vertx) throws Exception {
    List<Future<Void>> parts = onContext(vertx, () -> {
      TableBatcher batcher = new TableBatcher(vertx, database.pool(), "batch_rows", new BatchSettings(1000, 100, 64, 1));
      return List.of(batcher.add(rows("before", 3)),
        batcher.add(List.of(Sample.text("bad", 1, "state", "", "not a number"))),
        batcher.add(rows("after", 3)));
    });
    CompletableFuture<Void> all = Future.join(parts).<Void>mapEmpty().otherwiseEmpty().toCompletionStage().toCompletableFuture();
    all.get(30, TimeUnit.SECONDS);
    assertTrue(parts.get(0).succeeded());
    assertTrue(parts.get(1).failed());
    assertTrue(DatabaseErrors.isDataError(parts.get(1).cause()), parts.get(1).cause().toString());
    assertTrue(parts.get(2).succeeded());
    assertEquals(6, database.count("SELECT COUNT(*) FROM batch_rows"));
    assertEquals(0, database.count("SELECT COUNT(*) FROM batch_rows WHERE host = 'bad'"));
  }

  private static List<Sample> rows(String host, int count) {
    List<Sample> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(Sample.numeric(host, 1_000 + i, "cpu.user", "", i));
    }
    return rows;
  }

  private static <T> T onContext(Vertx vertx, java.util.function.Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> result.complete(action.get()));
    return result.get(10, TimeUnit.SECONDS);
  }
}
