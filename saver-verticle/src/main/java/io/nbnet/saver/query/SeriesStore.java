package io.nbnet.saver.query;

import io.nbnet.saver.compaction.BlockCodec;
import io.nbnet.saver.compaction.HourBlock;
import io.nbnet.saver.compaction.Point;
import io.nbnet.saver.compaction.Rollup;
import io.nbnet.saver.layout.StorageLayout;
import io.nbnet.saver.layout.Windows;
import io.nbnet.saver.retention.RetentionConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the API reads: the hosts with their status and headline numbers, a host's series, and a
 * query's buckets. A query reads its tier, then the next finer tier from where the coarser one's data
 * ends (the hour in progress is in the 5-minute tier, the window in progress among the staged samples),
 * so the newest points are there whatever the range. Every statement is stopped by the server after
 * {@code statementMillis}.
 */
public final class SeriesStore implements SeriesReader {

  /** A query over more series than this is refused: narrow it with tags. */
  static final int MAX_SERIES = 500;
  /** Past this many buckets in all series of one answer, the step grows: an answer stays a few MB. */
  static final long MAX_POINTS_PER_ANSWER = 200_000;
  /** Keys per IN list: past a few hundred, the range optimizer may give up and scan. */
  private static final int KEYS_PER_STATEMENT = 288;
  private static final List<String> HEADLINE_METRICS = List.of("cpu.idle", "mem.used_bytes", "mem.total_bytes", "load.1",
    "disk.busy_percent", "fs.used_bytes", "fs.size_bytes", "net.rx_bytes_per_s", "net.tx_bytes_per_s");

  private final Pool pool;
  private final StorageLayout layout;
  private final long statementMillis;

  private final RetentionConfig retention;

  public SeriesStore(Pool pool, StorageLayout layout, long statementMillis, RetentionConfig retention) {
    this.pool = pool;
    this.layout = layout;
    this.statementMillis = statementMillis;
    this.retention = retention;
  }

  /** Every host, native and legacy: when it was heard, its status, and its newest headline numbers while staged. */
  @Override
  public Future<JsonArray> hosts() {
    return select(QuerySql.hosts(layout), Tuple.tuple()).compose(hostRows -> select(QuerySql.headlines(layout, HEADLINE_METRICS.size()),
      Tuple.from(HEADLINE_METRICS)).map(latest -> {
        Map<Integer, Headline> headlines = new HashMap<>();
        for (Row row : latest) {
          headlines.computeIfAbsent(row.getInteger("host_id"), id -> new Headline())
            .add(row.getString("metric"), row.getString("tags"), row.getDouble("value"));
        }
        JsonArray hosts = new JsonArray();
        for (Row row : hostRows) {
          long since = row.getLong("status_since");
          hosts.add(new JsonObject()
            .put("host", row.getString("host"))
            .put("status", row.getString("status"))
            .put("statusSince", since > 0 ? since : row.getLong("first_received"))
            .put("lastReceived", row.getLong("last_received"))
            .put("lastSampleTime", row.getLong("last_ts"))
            .put("lastSamples", row.getLong("last_samples"))
            .put("intervalMs", row.getLong("interval_ms"))
            .put("headline", headlines.getOrDefault(row.getInteger("host_id"), new Headline()).json()));
        }
        return hosts;
      }));
  }

  /** A host's series, or empty when the host is unknown. */
  @Override
  public Future<JsonArray> series(String host) {
    return select(QuerySql.seriesOfHost(layout), Tuple.of(host)).map(rows -> {
      JsonArray series = new JsonArray();
      rows.forEach(row -> series.add(new JsonObject().put("metric", row.getString("metric")).put("tags", row.getString("tags"))));
      return series;
    });
  }

  /** The fields of a query's series: each bucket's mean, minimum and maximum. */
  public static final Set<String> FIELDS = Set.of("avg", "min", "max");

  /** The buckets of {@code asked}, with the {@link #FIELDS} in {@code fields}. */
  @Override
  public Future<JsonObject> query(QueryRequest asked, Set<String> fields) {
    Tuple params = Tuple.of(asked.host());
    asked.metrics().forEach(params::addString);
    asked.tags().ifPresent(params::addString);
    return select(QuerySql.seriesOfMetrics(layout, asked.metrics().size(), asked.tags().isPresent()), params).compose(rows -> {
      if (rows.size() > MAX_SERIES) {
        return Future.failedFuture(new BadQueryException(rows.size() + " series match; at most " + MAX_SERIES + ": give tags"));
      }
      QueryRequest request = rows.size() * asked.bucketsPerSeries() <= MAX_POINTS_PER_ANSWER ? asked
        : asked.withStepAtLeast(-Math.floorDiv(-(asked.to() - asked.from()) * rows.size(), MAX_POINTS_PER_ANSWER), System.currentTimeMillis(),
          retention);
      StepBuckets buckets = new StepBuckets(request.from(), request.step());
      List<Integer> ids = new ArrayList<>();
      int hostId = 0;
      for (Row row : rows) {
        ids.add(row.getInteger("series_id"));
        hostId = row.getInteger("host_id");
        buckets.series(row.getInteger("series_id"), row.getString("metric"), row.getString("tags"));
      }
      Future<Void> read = ids.isEmpty() ? Future.succeededFuture() : read(request.tier(), hostId, ids, request.to(), buckets);
      return read.map(v -> new JsonObject()
        .put("host", request.host())
        .put("from", request.from())
        .put("to", request.to())
        .put("step", request.step())
        .put("tier", request.tier().label())
        .put("series", buckets.json(fields)));
    });
  }

  /** {@code tier} from where the buckets' data ends, then the finer tiers from where it ends. */
  private Future<Void> read(Tier tier, int hostId, List<Integer> ids, long to, StepBuckets buckets) {
    long from = buckets.coveredUntil();
    if (from >= to) {
      return Future.succeededFuture();
    }
    return switch (tier) {
      case HOUR -> readHours(ids, from, to, buckets).compose(v -> read(Tier.FIVE_MINUTES, hostId, ids, to, buckets));
      case FIVE_MINUTES -> readFiveMinutes(ids, from, to, buckets).compose(v -> read(Tier.RAW, hostId, ids, to, buckets));
      case RAW -> readRaw(hostId, ids, from, to, buckets);
    };
  }

  private Future<Void> readHours(List<Integer> ids, long from, long to, StepBuckets buckets) {
    Tuple params = Tuple.from(ids).addLong(from).addLong(to);
    return select(QuerySql.rollup1h(layout, ids.size()), params).map(rows -> {
      for (Row row : rows) {
        buckets.rollup(row.getInteger("series_id"), row.getLong("bucket"), Windows.HOUR_MILLIS, new Rollup(row.getDouble("min"),
          row.getDouble("max"), row.getDouble("sum"), row.getLong("count"), row.getDouble("last"), row.getLong("bucket")));
      }
      return null;
    });
  }

  private Future<Void> readFiveMinutes(List<Integer> ids, long from, long to, StepBuckets buckets) {
    List<Long> hours = starts(Windows.hourOf(from), to, Windows.HOUR_MILLIS);
    return inChunks(hours, chunk -> {
      Tuple params = Tuple.from(chunk);
      ids.forEach(params::addInteger);
      return select(QuerySql.rollup5m(layout, chunk.size(), ids.size()), params).map(rows -> {
        for (Row row : rows) {
          for (Rollup window : HourBlock.decode(row.getLong("hour"), row.getString("buckets")).windows()) {
            if (window.lastTs() >= from && window.lastTs() < to) {
              buckets.rollup(row.getInteger("series_id"), window.lastTs(), Windows.WINDOW_MILLIS, window);
            }
          }
        }
        return null;
      });
    });
  }

  /**
   * The samples still staged, then the compacted blocks of the host's windows: in the order samples
   * move (ring, compacting table, blocks), so a window compacted meanwhile is found in one of them. A
   * staged sample whose key a block holds already is a replay or a conflict: the block's value counts.
   */
  private Future<Void> readRaw(int hostId, List<Integer> ids, long from, long to, StepBuckets buckets) {
    Map<Integer, TreeMap<Long, Double>> points = new HashMap<>();
    ids.forEach(id -> points.put(id, new TreeMap<>()));
    List<Long> windows = starts(Windows.windowOf(from), to, Windows.WINDOW_MILLIS);
    return readStaged(layout.recent(), hostId, ids, from, to, points)
      .compose(v -> readStaged(layout.compacting(), hostId, ids, from, to, points))
      .compose(v -> inChunks(windows, chunk -> readBlocks(hostId, ids, chunk, from, to, points)))
      .map(v -> {
        points.forEach((id, series) -> series.forEach((ts, value) -> buckets.sample(id, ts, value)));
        return null;
      });
  }

  private Future<Void> readBlocks(int hostId, List<Integer> ids, List<Long> windows, long from, long to,
                                  Map<Integer, TreeMap<Long, Double>> points) {
    Tuple timesParams = Tuple.from(windows).addInteger(hostId);
    return select(QuerySql.rawTimes(layout, windows.size()), timesParams).compose(timeRows -> {
      Map<Long, long[]> times = new HashMap<>();
      timeRows.forEach(row -> times.put(row.getLong("window_start"), BlockCodec.decodeTimes(row.getLong("window_start"), row.getString("times"))));
      if (times.isEmpty()) {
        return Future.succeededFuture();
      }
      List<Long> present = new ArrayList<>(times.keySet());
      Tuple params = Tuple.from(present).addInteger(hostId);
      ids.forEach(params::addInteger);
      return select(QuerySql.rawBlocks(layout, present.size(), ids.size()), params).map(rows -> {
        for (Row row : rows) {
          TreeMap<Long, Double> series = points.get(row.getInteger("series_id"));
          for (Point point : BlockCodec.decode(times.get(row.getLong("window_start")), row.getBuffer("points").getBytes())) {
            if (!point.isText() && point.ts() >= from && point.ts() < to) {
              series.put(point.ts(), point.value());
            }
          }
        }
        return null;
      });
    });
  }

  private Future<Void> readStaged(String table, int hostId, List<Integer> ids, long from, long to, Map<Integer, TreeMap<Long, Double>> points) {
    // the ring holds the last RING_SLOTS windows at most
    long stagedFrom = Math.max(from, Windows.windowOf(System.currentTimeMillis()) - Windows.RING_SLOTS * Windows.WINDOW_MILLIS);
    if (stagedFrom >= to) {
      return Future.succeededFuture();
    }
    Tuple params = Tuple.of(hostId, stagedFrom, to);
    ids.forEach(params::addInteger);
    return select(QuerySql.staged(table, ids.size()), params).map(rows -> {
      rows.forEach(row -> points.get(row.getInteger("series_id")).putIfAbsent(row.getLong("ts"), row.getDouble("value")));
      return null;
    });
  }

  private Future<RowSet<Row>> select(String sql, Tuple params) {
    return pool.preparedQuery(QuerySql.limited(layout, statementMillis, sql)).execute(params);
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
  private static Future<Void> inChunks(List<Long> keys, java.util.function.Function<List<Long>, Future<Void>> statement) {
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < keys.size(); from += KEYS_PER_STATEMENT) {
      List<Long> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_STATEMENT));
      chain = chain.compose(v -> statement.apply(chunk));
    }
    return chain;
  }
}
