package io.nbnet.store;

import io.nbnet.store.mysql.MySqlPools;
import io.nbnet.store.series.HostStates;
import io.nbnet.store.tables.BlockCodec;
import io.nbnet.store.tables.HourBlock;
import io.nbnet.store.tables.Point;
import io.nbnet.store.tables.StagedValues;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.tables.Windows;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads a store's database: the hosts, their series, and the tiers of some series over a time range.
 * A read of a tier goes on in the next finer tier from where the coarser one's data ends (the hour in
 * progress is in the 5-minute tier, the window in progress among the staged samples), so the newest
 * points are there whatever the range. Every statement is stopped by the server after
 * {@code statementMillis}; reads run on a pool of their own, so they never take the writers' connections.
 */
public final class StoreReader {

  /** Hosts read at once by one query: its share of the reader's connections. */
  private static final int HOSTS_AT_ONCE = 4;
  /** Series of one host per raw read: its statement lists them three times, within the 65,535 placeholders a statement may have. */
  private static final int SERIES_PER_STATEMENT = 5_000;
  /** Keys per IN list: past a few hundred, the range optimizer may give up and scan. */
  private static final int KEYS_PER_STATEMENT = 288;

  private final Pool pool;
  private final StorageLayout layout;
  private final long statementMillis;

  private StoreReader(Pool pool, StorageLayout layout, long statementMillis) {
    this.pool = pool;
    this.layout = layout;
    this.statementMillis = statementMillis;
  }

  /**
   * A reader with a pool of {@code connections} on {@code mysql} (its meters named {@code poolName}); a
   * statement that MySQL leaves unanswered past {@code statementMillis} and a second fails.
   */
  public static StoreReader open(Vertx vertx, MySqlConfig mysql, StorageLayout layout, int connections, long statementMillis,
                                 String poolName) {
    return new StoreReader(MySqlPools.queryPool(vertx, mysql, connections, poolName, statementMillis), layout, statementMillis);
  }

  /** Every host, native and legacy, by name. */
  public Future<List<HostState>> hosts() {
    return select(HostStates.select(layout), Tuple.tuple()).map(rows -> {
      List<HostState> hosts = new ArrayList<>(rows.size());
      rows.forEach(row -> hosts.add(HostStates.of(row)));
      return hosts;
    });
  }

  /** The values of {@code metrics} at each host's newest sample time, while those samples are staged (not compacted yet). */
  public Future<List<NewestValue>> newestValues(List<String> metrics) {
    return select(ReadSql.newestStaged(layout, metrics.size()), Tuple.from(metrics)).map(rows -> {
      List<NewestValue> values = new ArrayList<>(rows.size());
      rows.forEach(row -> values.add(new NewestValue(row.getString("host"), row.getString("metric"), row.getString("tags"),
        row.getDouble("value"))));
      return values;
    });
  }

  /** A host's series by metric and tags; empty when the host is unknown. */
  public Future<List<SeriesName>> seriesOf(String host) {
    return select(ReadSql.seriesOfHost(layout), Tuple.of(host)).map(rows -> {
      List<SeriesName> series = new ArrayList<>(rows.size());
      rows.forEach(row -> series.add(new SeriesName(row.getString("metric"), row.getString("tags"))));
      return series;
    });
  }

  /** Every metric name of the dictionary, once. */
  public Future<List<String>> metricNames() {
    return select(ReadSql.metricNames(layout), Tuple.tuple()).map(rows -> {
      List<String> names = new ArrayList<>(rows.size());
      rows.forEach(row -> names.add(row.getString(0)));
      return names;
    });
  }

  /**
   * The series of {@code host} (or of every host) with one of {@code metrics} (or any metric), at most
   * {@code limit}; fails when there are more, so a caller never works on a part believing it whole.
   */
  public Future<List<SeriesRef>> findSeries(Optional<String> host, List<String> metrics, int limit) {
    Tuple params = Tuple.tuple();
    host.ifPresent(params::addString);
    metrics.forEach(params::addString);
    return select(ReadSql.seriesMatching(layout, host.isPresent(), metrics.size(), limit), params).compose(rows -> {
      if (rows.size() > limit) {
        return Future.failedFuture(new StoreException(StoreException.Kind.LIMIT, "the selector matches more than " + limit + " series", null));
      }
      List<SeriesRef> found = new ArrayList<>(rows.size());
      rows.forEach(row -> found.add(new SeriesRef(row.getInteger("host_id"), row.getInteger("series_id"), row.getString("host"),
        row.getString("metric"), row.getString("tags"))));
      return Future.succeededFuture(found);
    });
  }

  /** A host's series of these metrics (all their tags, or only {@code tags}), by metric and tags. */
  public Future<List<SeriesRef>> find(String host, List<String> metrics, Optional<String> tags) {
    Tuple params = Tuple.of(host);
    metrics.forEach(params::addString);
    tags.ifPresent(params::addString);
    return select(ReadSql.seriesOfMetrics(layout, metrics.size(), tags.isPresent()), params).map(rows -> {
      List<SeriesRef> found = new ArrayList<>(rows.size());
      rows.forEach(row -> found.add(new SeriesRef(row.getInteger("host_id"), row.getInteger("series_id"), host, row.getString("metric"),
        row.getString("tags"))));
      return found;
    });
  }

  /**
   * Hands {@code sink} what {@code tier} holds of {@code series} from {@code from} to before {@code to},
   * then the finer tiers from where its data ends.
   */
  public Future<Void> read(List<SeriesRef> series, Tier tier, long from, long to, TierSink sink) {
    if (series.isEmpty()) {
      return Future.succeededFuture();
    }
    Coverage coverage = new Coverage(from, sink);
    return read(series, tier, to, coverage);
  }

  public Future<Void> close() {
    return pool.close();
  }

  private Future<Void> read(List<SeriesRef> series, Tier tier, long to, Coverage coverage) {
    long from = coverage.until;
    if (from >= to) {
      return Future.succeededFuture();
    }
    return switch (tier) {
      case HOUR -> readHours(series, from, to, coverage).compose(v -> read(series, Tier.FIVE_MINUTES, to, coverage));
      case FIVE_MINUTES -> readFiveMinutes(series, from, to, coverage).compose(v -> read(series, Tier.RAW, to, coverage));
      case RAW -> inParallel(new ArrayList<>(byHost(series).values()), hostSeries -> readRaw(hostSeries, from, to, coverage));
    };
  }

  private Future<Void> readHours(List<SeriesRef> series, long from, long to, Coverage coverage) {
    Map<Integer, SeriesRef> byId = byId(series);
    Tuple params = Tuple.from(new ArrayList<>(byId.keySet())).addLong(from).addLong(to);
    return select(ReadSql.rollup1h(layout, byId.size()), params).map(rows -> {
      for (Row row : rows) {
        coverage.rollup(byId.get(row.getInteger("series_id")), row.getLong("bucket"), Windows.HOUR_MILLIS, new Rollup(row.getDouble("min"),
          row.getDouble("max"), row.getDouble("sum"), row.getLong("count"), row.getDouble("last"), row.getLong("bucket")));
      }
      return null;
    });
  }

  private Future<Void> readFiveMinutes(List<SeriesRef> series, long from, long to, Coverage coverage) {
    Map<Integer, SeriesRef> byId = byId(series);
    List<Long> hours = starts(Windows.hourOf(from), to, Windows.HOUR_MILLIS);
    return inChunks(hours, chunk -> {
      Tuple params = Tuple.from(chunk);
      byId.keySet().forEach(params::addInteger);
      return select(ReadSql.rollup5m(layout, chunk.size(), byId.size()), params).map(rows -> {
        for (Row row : rows) {
          for (Rollup window : HourBlock.decode(row.getLong("hour"), row.getString("buckets")).windows()) {
            if (window.lastTs() >= from && window.lastTs() < to) {
              coverage.rollup(byId.get(row.getInteger("series_id")), window.lastTs(), Windows.WINDOW_MILLIS, window);
            }
          }
        }
        return null;
      });
    });
  }

  /**
   * The samples of one host's series: those still staged (in the ring or being compacted) and the
   * compacted blocks of their windows, in one statement for the windows the ring may hold, so that it
   * sees them at one moment: a window compacted meanwhile is found once, a block with the times it was
   * written with. A staged sample whose key a block holds already is a replay or a conflict: the block's
   * value counts; the compacting table's counts over the ring's (compaction will keep it). A host's
   * series go {@link #SERIES_PER_STATEMENT} at a time, each group in statements of its own.
   */
  private Future<Void> readRaw(List<SeriesRef> series, long from, long to, Coverage coverage) {
    int hostId = series.get(0).hostId;
    Map<Integer, SeriesRef> byId = byId(series);
    Map<Integer, TreeMap<Long, Double>> points = new HashMap<>();
    byId.keySet().forEach(id -> points.put(id, new TreeMap<>()));
    List<Long> windows = starts(Windows.windowOf(from), to, Windows.WINDOW_MILLIS);
    long nowWindow = Windows.windowOf(System.currentTimeMillis());
    // the ring holds the last RING_SLOTS windows at most
    long stagedFrom = Math.max(from, nowWindow - Windows.RING_SLOTS * Windows.WINDOW_MILLIS);
    RawChunks plan = RawChunks.plan(windows, nowWindow, KEYS_PER_STATEMENT);
    List<List<Long>> chunks = plan.chunks();
    List<Integer> ids = new ArrayList<>(points.keySet());
    Future<Void> chain = Future.succeededFuture();
    for (int group = 0; group < ids.size(); group += SERIES_PER_STATEMENT) {
      List<Integer> groupIds = ids.subList(group, Math.min(ids.size(), group + SERIES_PER_STATEMENT));
      for (int c = 0; c < chunks.size(); c++) {
        List<Long> chunk = chunks.get(c);
        boolean withStaged = c == plan.stagedChunk() && stagedFrom < to;
        chain = chain.compose(v -> readRawChunk(hostId, chunk, groupIds, withStaged ? stagedFrom : -1, from, to, points));
      }
    }
    return chain.map(v -> {
      points.forEach((id, samples) -> samples.forEach((ts, value) -> coverage.sample(byId.get(id), ts, value)));
      return null;
    });
  }

  /** One statement: the windows' times and the blocks of {@code ids}, and their staged samples from {@code stagedFrom} unless it is negative. */
  private Future<Void> readRawChunk(int hostId, List<Long> windows, List<Integer> ids, long stagedFrom, long from, long to,
                                    Map<Integer, TreeMap<Long, Double>> points) {
    boolean staged = stagedFrom >= 0;
    Tuple params = Tuple.tuple();
    if (staged) {
      for (int table = 0; table < 2; table++) {
        params.addInteger(hostId).addLong(stagedFrom).addLong(to);
        ids.forEach(params::addInteger);
      }
    }
    windows.forEach(params::addLong);
    params.addInteger(hostId);
    windows.forEach(params::addLong);
    params.addInteger(hostId);
    ids.forEach(params::addInteger);
    return select(ReadSql.rawOfHost(layout, staged, windows.size(), ids.size()), params).map(rows -> {
      Map<Long, long[]> times = new HashMap<>();
      List<Row> ring = new ArrayList<>();
      List<Row> blocks = new ArrayList<>();
      for (Row row : rows) {
        switch (row.getInteger("part")) {
          case ReadSql.PART_RING -> ring.add(row);
          case ReadSql.PART_COMPACTING -> staged(row, points);
          case ReadSql.PART_TIMES -> times.put(row.getLong("ts"),
            BlockCodec.decodeTimes(row.getLong("ts"), row.getBuffer("data").toString(StandardCharsets.UTF_8)));
          default -> blocks.add(row);
        }
      }
      ring.forEach(row -> staged(row, points));
      for (Row row : blocks) {
        long[] windowTimes = times.get(row.getLong("ts"));
        if (windowTimes == null) {
          continue; // written without its times: never, as both are one transaction's
        }
        TreeMap<Long, Double> series = points.get(row.getInteger("series_id"));
        for (Point point : BlockCodec.decode(windowTimes, row.getBuffer("data").getBytes())) {
          if (!point.isText() && point.ts() >= from && point.ts() < to) {
            series.put(point.ts(), point.value());
          }
        }
      }
      return null;
    });
  }

  /** A staged row's number (a value a DOUBLE cannot hold read from its text), unless a row read before holds its key. */
  private static void staged(Row row, Map<Integer, TreeMap<Long, Double>> points) {
    Object data = row.getValue("data");
    String text = data == null ? null : data instanceof Buffer buffer ? buffer.toString(StandardCharsets.UTF_8) : data.toString();
    Point point = StagedValues.point(row.getLong("ts"), row.getDouble("value"), text);
    if (!point.isText()) {
      points.get(row.getInteger("series_id")).putIfAbsent(point.ts(), point.value());
    }
  }

  private Future<RowSet<Row>> select(String sql, Tuple params) {
    return pool.preparedQuery(ReadSql.limited(layout, statementMillis, sql)).execute(params);
  }

  /** What the sink was handed, and where the data read so far ends: the next finer tier is read from there. */
  private static final class Coverage {
    private final TierSink sink;
    private long until;

    Coverage(long from, TierSink sink) {
      this.until = from;
      this.sink = sink;
    }

    void sample(SeriesRef series, long ts, double value) {
      sink.sample(series, ts, value);
      until = Math.max(until, ts + 1);
    }

    void rollup(SeriesRef series, long start, long length, Rollup rollup) {
      sink.rollup(series, start, length, rollup);
      until = Math.max(until, start + length);
    }
  }

  private static Map<Integer, SeriesRef> byId(List<SeriesRef> series) {
    Map<Integer, SeriesRef> byId = new LinkedHashMap<>();
    series.forEach(ref -> byId.put(ref.seriesId, ref));
    return byId;
  }

  private static Map<Integer, List<SeriesRef>> byHost(List<SeriesRef> series) {
    Map<Integer, List<SeriesRef>> byHost = new LinkedHashMap<>();
    series.forEach(ref -> byHost.computeIfAbsent(ref.hostId, id -> new ArrayList<>()).add(ref));
    return byHost;
  }

  /** Bucket starts from {@code first} (a multiple of {@code length}) up to before {@code to}. */
  private static List<Long> starts(long first, long to, long length) {
    List<Long> starts = new ArrayList<>();
    for (long start = first; start < to; start += length) {
      starts.add(start);
    }
    return starts;
  }

  /** One statement per chunk of keys, one after the other. */
  private static Future<Void> inChunks(List<Long> keys, Function<List<Long>, Future<Void>> statement) {
    List<List<Long>> chunks = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += KEYS_PER_STATEMENT) {
      chunks.add(keys.subList(from, Math.min(keys.size(), from + KEYS_PER_STATEMENT)));
    }
    return inOrder(chunks, statement);
  }

  /**
   * {@code step} of every item, {@link #HOSTS_AT_ONCE} at a time: the hosts of a fleet-wide query are read
   * side by side on the reader's connections, each host's statements in order.
   */
  private static <T> Future<Void> inParallel(List<T> items, Function<T, Future<Void>> step) {
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < Math.min(HOSTS_AT_ONCE, items.size()); lane++) {
      List<T> mine = new ArrayList<>();
      for (int i = lane; i < items.size(); i += HOSTS_AT_ONCE) {
        mine.add(items.get(i));
      }
      lanes.add(inOrder(mine, step));
    }
    return Future.all(lanes).mapEmpty();
  }

  private static <T> Future<Void> inOrder(Iterable<T> items, Function<T, Future<Void>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(v -> step.apply(item));
    }
    return chain;
  }
}
