package io.nbnet.store;

import io.nbnet.formats.Sample;
import io.nbnet.formats.SpecialValues;
import io.nbnet.store.tables.Windows;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.store.testing.TestStore;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The head against the database it stands for, on a real MariaDB: what a read of it gives is what a
 * read of the tables gives (staged, then compacted into blocks), sample for sample and bit for bit,
 * whatever came (special values, text, a key written twice with two values, frames committed out of
 * order); it answers only for what it knows (from past the newest sample stored when it started, never
 * while another saver writes to the same database).
 */
@ExtendWith(VertxExtension.class)
class HeadTest {

  private static final String HOST = "head-host";
  private static final long STEP = 10_000;
  private final List<TestStore> stores = new ArrayList<>();
  private TestDatabase database;

  @AfterEach
  void close() {
    stores.forEach(TestStore::close);
    if (database != null) {
      database.close();
    }
  }

  private TestStore open(Vertx vertx) {
    // windows close by the saver's clock at once: the samples are compacted into blocks while the test waits
    TestStore store = new TestStore(vertx, database, new JsonObject()
      .put("compaction", new JsonObject().put("graceMs", 0).put("quietMs", 200).put("checkIntervalMs", 100)));
    stores.add(store);
    return store;
  }

  private static Head head(TestStore store) {
    return store.on(s -> io.vertx.core.Future.succeededFuture(s.head().orElseThrow()));
  }

  @Test
  @DisplayName("the head gives what the tables give, staged and compacted, bit for bit; it starts past what it did not see and yields to another writer")
  void headReadsAsTheTablesDo(Vertx vertx) {
    database = new TestDatabase(vertx);
    TestStore store = open(vertx);
    Head head = head(store);
    await().atMost(30, TimeUnit.SECONDS).until(head::started);
    // an empty database: the head covers its whole span (three hours)
    assertTrue(head.covers(System.currentTimeMillis() - 10_000_000));
    assertFalse(head.covers(System.currentTimeMillis() - 11_000_000));

    long t0 = System.currentTimeMillis() / STEP * STEP - 40 * STEP;
    double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, SpecialValues.STALE, -0.0, Double.MIN_VALUE,
      Double.MAX_VALUE, 0.1 + 0.2, -1e-300, 42};
    // frames of one host written newest first: the head takes them in any order
    for (int frame = 39; frame >= 0; frame--) {
      List<Sample> samples = new ArrayList<>();
      long ts = t0 + frame * STEP;
      samples.add(Sample.numeric(HOST, ts, "cpu.user", "cpu=0", frame * 1.5));
      samples.add(Sample.numeric(HOST, ts, "app.special", "", special[frame % special.length]));
      samples.add(Sample.text(HOST, ts, "app.version", "", "v" + frame));
      samples.add(Sample.numeric("other-host", ts, "cpu.user", "cpu=0", -frame));
      store.write(samples);
    }
    // the same keys again, another value for one: the first stays, in the tables as in the head
    store.write(List.of(Sample.numeric(HOST, t0, "cpu.user", "cpu=0", 999), Sample.numeric(HOST, t0 + STEP, "cpu.user", "cpu=0", 1.5)));

    StoreReader reader = StoreReader.open(vertx, MySqlConfig.from(ConfigView.of(database.mysqlConfig(), "mysql")), StorageLayout(), 2,
      10_000, "head-test");
    try {
      assertSameAsTables(reader, head, t0, t0 + 40 * STEP, 3);
      // compacted into blocks: the same still
      await().atMost(60, TimeUnit.SECONDS).until(() -> database.count("SELECT COUNT(*) FROM samples_windows") > 0
        && database.count("SELECT COUNT(*) FROM samples_recent WHERE ts < ?", System.currentTimeMillis() / 300_000 * 300_000) == 0);
      assertSameAsTables(reader, head, t0, t0 + 40 * STEP, 3);
      assertSameAsTables(reader, head, t0 + 7 * STEP, t0 + 13 * STEP + 1, 3);

      // a second saver on the same database: neither head answers for anything the other may write
      TestStore second = open(vertx);
      Head secondHead = head(second);
      await().atMost(30, TimeUnit.SECONDS).until(() -> !head.covers(System.currentTimeMillis()));
      assertFalse(secondHead.covers(System.currentTimeMillis()), "the second saver's head answers nothing");
      second.close();
      stores.remove(second);

      // a saver started on what others wrote covers only what comes after the newest sample stored
      store.close();
      stores.remove(store);
      TestStore restarted = open(vertx);
      Head fresh = head(restarted);
      await().atMost(30, TimeUnit.SECONDS).until(fresh::started);
      assertFalse(fresh.covers(t0 + 39 * STEP), "samples stored before it started");
      // a compacted window counts as stored to its end: past it the head covers whatever compaction did meanwhile
      long after = Windows.windowOf(t0 + 39 * STEP) + Windows.WINDOW_MILLIS;
      assertTrue(fresh.covers(after));
      restarted.write(List.of(Sample.numeric(HOST, after + STEP, "cpu.user", "cpu=0", 7)));
      assertSameAsTables(reader, fresh, after, after + 2 * STEP, 1);
    } finally {
      Await.result(reader.close(), 30);
    }
  }

  private static io.nbnet.store.tables.StorageLayout StorageLayout() {
    return io.nbnet.store.tables.StorageLayout.mariaDb("samples_");
  }

  /** Every series of both hosts, read from the tables and from the head over {@code [from, to)}: the same samples, bit for bit. */
  private static void assertSameAsTables(StoreReader reader, Head head, long from, long to, int series) {
    assertTrue(head.covers(from), "the head covers " + from);
    List<SeriesRef> fromTables = Await.result(reader.findSeries(Optional.empty(), List.of(), 1_000), 30);
    List<SeriesRef> inHead = Await.result(head.findSeries(Optional.empty(), List.of(), 1_000), 30);
    Map<String, String> tables = new TreeMap<>();
    Await.result(reader.read(fromTables, Tier.RAW, from, to, collect(tables)), 30);
    Map<String, String> memory = new TreeMap<>();
    TierSink intoMemory = collect(memory);
    inHead.forEach(ref -> head.read(ref, from, to, (ts, value) -> intoMemory.sample(ref, ts, value)));
    assertEquals(tables, memory, "samples in [" + from + ", " + to + ")");
    assertEquals(series, tables.size(), "series with numbers: " + tables.keySet());
    // a host's series by metric, as a selector finds them
    assertEquals(names(Await.result(reader.findSeries(Optional.of(HOST), List.of("cpu.user"), 10), 30)),
      names(Await.result(head.findSeries(Optional.of(HOST), List.of("cpu.user"), 10), 30)));
  }

  private static List<String> names(List<SeriesRef> refs) {
    return refs.stream().map(SeriesRef::toString).sorted().toList();
  }

  private static TierSink collect(Map<String, String> into) {
    return new TierSink() {
      @Override
      public void sample(SeriesRef series, long ts, double value) {
        into.merge(series.toString(), ts + "=" + Long.toHexString(Double.doubleToRawLongBits(value)), (a, b) -> a + " " + b);
      }

      @Override
      public void rollup(SeriesRef series, long bucketStart, long length, Rollup rollup) {
        throw new AssertionError("a raw read gave a rollup");
      }
    };
  }
}
