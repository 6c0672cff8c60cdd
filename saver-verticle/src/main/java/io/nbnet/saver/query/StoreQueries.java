package io.nbnet.saver.query;

import io.nbnet.promql.Labels;
import io.nbnet.promql.Matcher;
import io.nbnet.promql.StoredSeries;
import io.nbnet.saver.promql.PromSelect;
import io.nbnet.saver.promql.PromNames;
import io.nbnet.saver.promql.SampleBudget;
import io.nbnet.store.Head;
import io.nbnet.store.HostState;
import io.nbnet.store.NewestValue;
import io.nbnet.store.RetentionConfig;
import io.nbnet.store.StoreReader;
import io.nbnet.store.Tier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The API's answers from one database: the hosts with their headline numbers, a host's series, and a query's buckets. */
public final class StoreQueries implements SeriesReader {

  /** A query over more series than this is refused: narrow it with tags. */
  static final int MAX_SERIES = 500;
  /** Past this many buckets in all series of one answer, the step grows: an answer stays a few MB. */
  static final long MAX_POINTS_PER_ANSWER = 200_000;
  private static final List<String> HEADLINE_METRICS = List.of("cpu.idle", "mem.used_bytes", "mem.total_bytes", "load.1",
    "disk.busy_percent", "fs.used_bytes", "fs.size_bytes", "net.rx_bytes_per_s", "net.tx_bytes_per_s");

  private final StoreReader store;
  private final RetentionConfig retention;
  private final PromSelect prometheus;

  /** @param maxPromSeries series one Prometheus selector may match */
  /** @param head the newest samples in memory (of the database {@code store} reads): raw reads of what it covers need no statement */
  public StoreQueries(StoreReader store, Optional<Head> head, RetentionConfig retention, int maxPromSeries) {
    this.store = store;
    this.retention = retention;
    this.prometheus = new PromSelect(store, head, maxPromSeries, retention);
  }

  @Override
  public Future<List<StoredSeries>> select(List<Matcher> matchers, long start, long end, Tier tier, SampleBudget budget) {
    return prometheus.select(matchers, start, end, tier, budget);
  }

  @Override
  public Future<List<Labels>> seriesLabels(List<Matcher> matchers) {
    return prometheus.series(matchers).map(matched -> matched.stream().map(PromSelect.Matched::labels).toList());
  }

  /** Every host, native and legacy: when it was heard, its status, and its newest headline numbers while staged. */
  @Override
  public Future<JsonArray> hosts() {
    return store.hosts().compose(hostStates -> store.newestValues(HEADLINE_METRICS).map(newest -> {
      Map<String, Headline> headlines = new HashMap<>();
      for (NewestValue value : newest) {
        headlines.computeIfAbsent(value.host(), host -> new Headline()).add(value.metric(), value.tags(), value.value());
      }
      JsonArray hosts = new JsonArray();
      for (HostState host : hostStates) {
        if (host.host().equals(PromNames.RULES_HOST)) {
          continue; // the rules' own results are not a machine of the fleet
        }
        hosts.add(new JsonObject()
          .put("host", host.host())
          .put("status", host.status().label())
          .put("statusSince", host.statusSince())
          .put("lastReceived", host.lastReceived())
          .put("lastSampleTime", host.lastSampleTime())
          .put("lastSamples", host.lastSamples())
          .put("intervalMs", host.intervalMillis())
          .put("headline", headlines.getOrDefault(host.host(), new Headline()).json()));
      }
      return hosts;
    }));
  }

  /** A host's series, or empty when the host is unknown. */
  @Override
  public Future<JsonArray> series(String host) {
    return store.seriesOf(host).map(found -> {
      JsonArray series = new JsonArray();
      found.forEach(name -> series.add(new JsonObject().put("metric", name.metric()).put("tags", name.tags())));
      return series;
    });
  }

  /** The fields of a query's series: each bucket's mean, minimum and maximum. */
  public static final Set<String> FIELDS = Set.of("avg", "min", "max");

  /** The buckets of {@code asked}, with the {@link #FIELDS} in {@code fields}. */
  @Override
  public Future<JsonObject> query(QueryRequest asked, Set<String> fields) {
    return store.find(asked.host(), asked.metrics(), asked.tags()).compose(series -> {
      if (series.size() > MAX_SERIES) {
        return Future.failedFuture(new BadQueryException(series.size() + " series match; at most " + MAX_SERIES + ": give tags"));
      }
      QueryRequest request = series.size() * asked.bucketsPerSeries() <= MAX_POINTS_PER_ANSWER ? asked
        : asked.withStepAtLeast(-Math.floorDiv(-(asked.to() - asked.from()) * series.size(), MAX_POINTS_PER_ANSWER), System.currentTimeMillis(),
          retention);
      StepBuckets buckets = new StepBuckets(request.step());
      series.forEach(buckets::series);
      return store.read(series, request.tier(), request.from(), request.to(), buckets).map(v -> new JsonObject()
        .put("host", request.host())
        .put("from", request.from())
        .put("to", request.to())
        .put("step", request.step())
        .put("tier", request.tier().label())
        .put("series", buckets.json(fields)));
    });
  }
}
