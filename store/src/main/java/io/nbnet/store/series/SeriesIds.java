package io.nbnet.store.series;

import io.nbnet.formats.Sample;
import io.nbnet.store.LimitsConfig;
import io.nbnet.store.StoreException;
import io.nbnet.store.mysql.DatabaseErrors;
import io.nbnet.store.mysql.InsertChunks;
import io.nbnet.store.tables.StorageLayout;
import io.nbnet.store.tables.Windows;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ids of hosts and series, from the dictionary tables, kept in memory. A host's series are
 * loaded together the first time one of its frames arrives (so a restarted saver takes frames at once
 * and warms up host by host); a series not known yet is inserted (INSERT IGNORE: several savers may
 * race, the unique key keeps one row) and read back. Metric-and-tags keys are shared between hosts,
 * so a fleet of look-alike hosts costs a map entry per series, not a string. Past
 * {@code maxCachedSeries} the hosts least recently seen are forgotten (and loaded again when they
 * return). A collector sends the same series in the same order every interval, so each host also
 * keeps the series of its last batch: a batch of that shape is resolved by comparing names in order,
 * without building or hashing keys. Used on the saver's event loop only.
 */
public final class SeriesIds {

  /** A host's id and the series id of every sample of a batch, in the batch's order (shared: read only). */
  public record Resolved(int hostId, int[] seriesIds) {
  }

  /** One host's ids. */
  public static final class HostIds {
    private final int hostId;
    private final Map<String, Integer> series;
    /** The series of the host's last batch, in its order; names shared between hosts. */
    private String[] shapeMetrics = new String[0];
    private String[] shapeTags = new String[0];
    private int[] shapeIds = new int[0];

    private HostIds(int hostId, Map<String, Integer> series) {
      this.hostId = hostId;
      this.series = series;
    }

    public int hostId() {
      return hostId;
    }

    /** The series' id, or -1 when it is not known yet. */
    public int series(String key) {
      Integer id = series.get(key);
      return id == null ? -1 : id;
    }

    private int[] idsByShape(List<Sample> samples) {
      if (samples.size() != shapeIds.length) {
        return null;
      }
      for (int i = 0; i < shapeIds.length; i++) {
        Sample sample = samples.get(i);
        if (!sample.metric().equals(shapeMetrics[i]) || !sample.tags().equals(shapeTags[i])) {
          return null;
        }
      }
      return shapeIds;
    }
  }

  private static final Runnable NOTHING = () -> { };
  /** New series per statement: MySQL takes at most 65,535 parameters. */
  private static final int SERIES_PER_INSERT = 1_000;
  /** Keys read back per statement: past a few hundred alternatives the range optimizer may give up and scan. */
  private static final int SERIES_PER_SELECT = 250;

  private final Pool pool;
  private final StorageLayout layout;
  private final long maxCachedSeries;
  private final Map<String, String> sharedKeys = new HashMap<>();
  private final Map<String, String> sharedNames = new HashMap<>();
  private final LinkedHashMap<String, HostIds> hosts = new LinkedHashMap<>(1024, 0.75f, true);
  private final Map<String, Future<HostIds>> loading = new HashMap<>();
  private final Map<String, Future<HostIds>> inserting = new HashMap<>();
  private final SeriesLimits limits;
  private long cachedSeries;

  public SeriesIds(Pool pool, StorageLayout layout, long maxCachedSeries, LimitsConfig limits) {
    this.pool = pool;
    this.layout = layout;
    this.maxCachedSeries = maxCachedSeries;
    this.limits = new SeriesLimits(pool, layout, limits, System::currentTimeMillis);
  }

  /** The key of a series within its host. */
  public static String key(String metric, String tags) {
    return metric + '\t' + tags;
  }

  public long cachedSeries() {
    return cachedSeries;
  }

  /** The host's id and the ids of the series of {@code samples}, inserting the series that are new. */
  public Future<Resolved> resolve(String host, List<Sample> samples) {
    HostIds cached = hosts.get(host);
    int[] byShape = cached == null ? null : cached.idsByShape(samples);
    if (byShape != null) {
      return Future.succeededFuture(new Resolved(cached.hostId, byShape));
    }
    List<String> keys = new ArrayList<>(samples.size());
    samples.forEach(sample -> keys.add(key(sample.metric(), sample.tags())));
    return resolveKeys(host, keys).map(ids -> {
      int[] seriesIds = new int[samples.size()];
      String[] metrics = new String[samples.size()];
      String[] tags = new String[samples.size()];
      for (int i = 0; i < seriesIds.length; i++) {
        seriesIds[i] = ids.series(keys.get(i));
        metrics[i] = sharedNames.computeIfAbsent(samples.get(i).metric(), name -> name);
        tags[i] = sharedNames.computeIfAbsent(samples.get(i).tags(), name -> name);
      }
      ids.shapeMetrics = metrics;
      ids.shapeTags = tags;
      ids.shapeIds = seriesIds;
      return new Resolved(ids.hostId, seriesIds);
    });
  }

  /**
   * Succeeds when the series of {@code samples} that are new to the host fit the limits (they are
   * counted as added); fails with a {@link StoreException.Kind#LIMIT} naming the limit otherwise. A write
   * checks every host's samples first, so nothing of it is stored when one would pass a limit; the
   * success is how to give the count back when the write is refused for another host.
   */
  public Future<Runnable> admit(String host, List<Sample> samples) {
    HostIds cached = hosts.get(host);
    if (cached != null && cached.idsByShape(samples) != null) {
      return Future.succeededFuture(NOTHING);
    }
    Set<String> keys = new HashSet<>();
    samples.forEach(sample -> keys.add(key(sample.metric(), sample.tags())));
    return (cached != null ? Future.succeededFuture(cached) : load(host)).compose(ids -> {
      int fresh = (int) keys.stream().filter(key -> !ids.series.containsKey(key)).count();
      return fresh == 0 ? Future.succeededFuture(NOTHING) : limits.admit(host, ids.hostId, ids.series.size(), fresh);
    });
  }

  /** The ids of a host where every one of {@code keys} (duplicates allowed) is known, inserting what is new. */
  private Future<HostIds> resolveKeys(String host, List<String> keys) {
    HostIds cached = hosts.get(host);
    if (cached != null && cached.series.keySet().containsAll(keys)) {
      return Future.succeededFuture(cached);
    }
    Future<HostIds> loaded = cached != null ? Future.succeededFuture(cached) : load(host);
    return loaded.compose(ids -> {
      List<String> missing = keys.stream().filter(key -> !ids.series.containsKey(key)).distinct().toList();
      if (missing.isEmpty()) {
        return Future.succeededFuture(ids);
      }
      Future<HostIds> running = inserting.get(host);
      if (running != null) {
        // one insert of a host's series at a time (two would race for the same keys): wait, then look again
        return running.transform(done -> resolveKeys(host, keys));
      }
      Future<HostIds> insert = insertSeries(host, ids, missing);
      inserting.put(host, insert);
      return insert.onComplete(done -> inserting.remove(host));
    });
  }

  private Future<HostIds> load(String host) {
    Future<HostIds> running = loading.get(host);
    if (running != null) {
      return running;
    }
    long now = System.currentTimeMillis();
    Future<HostIds> load = pool.preparedQuery(SeriesSql.insertHost(layout)).execute(Tuple.of(host, now, now))
      .compose(v -> pool.preparedQuery(SeriesSql.selectHost(layout)).execute(Tuple.of(host)))
      .compose(rows -> {
        int hostId = rows.iterator().next().getInteger(0);
        return pool.preparedQuery(SeriesSql.selectSeriesOfHost(layout)).execute(Tuple.of(hostId))
          .map(series -> remember(host, new HostIds(hostId, new HashMap<>(Math.max(16, series.size() * 2))), series));
      })
      .recover(failure -> Future.failedFuture(DatabaseErrors.toStoreException(failure)));
    loading.put(host, load);
    return load.onComplete(ar -> loading.remove(host));
  }

  /**
   * Inserts the missing series (another saver may have inserted some meanwhile: INSERT IGNORE) and reads
   * back the ids of those alone: a host with a great many series (the rules' outputs) is not read whole
   * for each new one.
   */
  private Future<HostIds> insertSeries(String host, HostIds ids, List<String> missing) {
    int today = Windows.day(System.currentTimeMillis());
    Future<HostIds> inserted = Future.succeededFuture(ids);
    for (List<String> chunk : InsertChunks.split(missing, SERIES_PER_INSERT)) {
      Tuple values = Tuple.tuple();
      for (String key : chunk) {
        int tab = key.indexOf('\t');
        values.addInteger(ids.hostId).addString(key.substring(0, tab)).addString(key.substring(tab + 1)).addInteger(today);
      }
      inserted = inserted.compose(v -> pool.preparedQuery(SeriesSql.insertSeries(layout, chunk.size())).execute(values)).map(ids);
    }
    for (List<String> chunk : InsertChunks.split(missing, SERIES_PER_SELECT)) {
      Tuple keys = Tuple.of(ids.hostId);
      for (String key : chunk) {
        int tab = key.indexOf('\t');
        keys.addString(key.substring(0, tab)).addString(key.substring(tab + 1));
      }
      inserted = inserted.compose(v -> pool.preparedQuery(SeriesSql.selectSeriesByKeys(layout, chunk.size())).execute(keys))
        .map(series -> remember(host, ids, series));
    }
    return inserted.recover(failure -> Future.failedFuture(DatabaseErrors.toStoreException(failure)));
  }

  private HostIds remember(String host, HostIds ids, Iterable<Row> series) {
    HostIds current = hosts.get(host);
    HostIds target = current != null ? current : ids;
    for (Row row : series) {
      String key = sharedKeys.computeIfAbsent(key(row.getString(1), row.getString(2)), k -> k);
      if (target.series.put(key, row.getInteger(0)) == null) {
        cachedSeries++;
      }
    }
    if (current == null) {
      hosts.put(host, target);
      evictBeyondLimit();
    }
    return target;
  }

  private void evictBeyondLimit() {
    if (sharedKeys.size() > maxCachedSeries) {
      sharedKeys.clear(); // keys of forgotten hosts would stay for ever; the maps keep their own references
    }
    if (sharedNames.size() > maxCachedSeries) {
      sharedNames.clear();
    }
    var eldest = hosts.entrySet().iterator();
    while (cachedSeries > maxCachedSeries && hosts.size() > 1 && eldest.hasNext()) {
      cachedSeries -= eldest.next().getValue().series.size();
      eldest.remove();
    }
  }

}
