package io.nbnet.saver.query;

import io.nbnet.promql.Labels;
import io.nbnet.promql.Matcher;
import io.nbnet.promql.StoredSeries;
import io.nbnet.saver.promql.SampleBudget;
import io.nbnet.store.Tier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/** What the query API reads: one database ({@link StoreQueries}) or the shards of Kafka mode ({@link ShardedSeries}). */
public interface SeriesReader {

  /** Every host: status, times, headline numbers. */
  Future<JsonArray> hosts();

  /** A host's series, or empty when the host is unknown. */
  Future<JsonArray> series(String host);

  /** The buckets of {@code asked}, with the {@link StoreQueries#FIELDS} in {@code fields}. */
  Future<JsonObject> query(QueryRequest asked, Set<String> fields);

  /**
   * The series a Prometheus selector matches, with their samples in {@code [start, end]} (ms) as {@code tier}
   * keeps them (see {@link io.nbnet.saver.promql.PromSelect}), counted against {@code budget}.
   */
  Future<List<StoredSeries>> select(List<Matcher> matchers, long start, long end, Tier tier, SampleBudget budget);

  /** The labels of the series a Prometheus selector matches (no samples read). */
  Future<List<Labels>> seriesLabels(List<Matcher> matchers);
}
