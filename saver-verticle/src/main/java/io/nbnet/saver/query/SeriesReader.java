package io.nbnet.saver.query;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/** What the query API reads: one database ({@link StoreQueries}) or the shards of Kafka mode ({@link ShardedSeries}). */
public interface SeriesReader {

  /** Every host: status, times, headline numbers. */
  Future<JsonArray> hosts();

  /** A host's series, or empty when the host is unknown. */
  Future<JsonArray> series(String host);

  /** The buckets of {@code asked}, with the {@link StoreQueries#FIELDS} in {@code fields}. */
  Future<JsonObject> query(QueryRequest asked, Set<String> fields);
}
