package io.nbnet.saver.query;

import io.nbnet.promql.Labels;
import io.nbnet.promql.Matcher;
import io.nbnet.promql.StoredSeries;
import io.nbnet.remotewrite.PromNaming;
import io.nbnet.saver.promql.SampleBudget;
import io.nbnet.store.Tier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The query API over the shards of Kafka mode: a host's series live on the one shard that owns its
 * partition, so a host's page asks that shard alone; the fleet's host list asks every shard and merges.
 */
public final class ShardedSeries implements SeriesReader {

  private final Map<String, SeriesReader> shards;
  private final Function<String, String> shardOfHost;

  /** @param shardOfHost the name of the shard that stores a host (a key of {@code shards}) */
  public ShardedSeries(Map<String, SeriesReader> shards, Function<String, String> shardOfHost) {
    this.shards = Map.copyOf(shards);
    this.shardOfHost = shardOfHost;
  }

  @Override
  public Future<JsonArray> hosts() {
    List<Future<JsonArray>> answers = new ArrayList<>();
    shards.values().forEach(shard -> answers.add(shard.hosts()));
    return Future.all(answers).map(done -> {
      List<JsonObject> hosts = new ArrayList<>();
      answers.forEach(answer -> answer.result().forEach(host -> hosts.add((JsonObject) host)));
      hosts.sort(Comparator.comparing(host -> host.getString("host")));
      return new JsonArray(new ArrayList<>(hosts));
    });
  }

  @Override
  public Future<JsonArray> series(String host) {
    return shardOf(host).series(host);
  }

  @Override
  public Future<JsonObject> query(QueryRequest asked, Set<String> fields) {
    return shardOf(asked.host()).query(asked, fields);
  }

  /** A selector with {@code host="..."} asks that host's shard; any other asks every shard. */
  @Override
  public Future<List<StoredSeries>> select(List<Matcher> matchers, long start, long end, Tier tier, SampleBudget budget) {
    return fromShards(matchers, shard -> shard.select(matchers, start, end, tier, budget));
  }

  @Override
  public Future<List<Labels>> seriesLabels(List<Matcher> matchers) {
    return fromShards(matchers, shard -> shard.seriesLabels(matchers));
  }

  private <T> Future<List<T>> fromShards(List<Matcher> matchers, Function<SeriesReader, Future<List<T>>> ask) {
    Optional<String> host = matchers.stream().filter(m -> m.name().equals(PromNaming.HOST) && m.type() == Matcher.Type.EQUAL)
      .map(Matcher::value).findFirst();
    if (host.isPresent()) {
      return ask.apply(shardOf(host.get()));
    }
    List<Future<List<T>>> answers = new ArrayList<>();
    shards.values().forEach(shard -> answers.add(ask.apply(shard)));
    return Future.all(answers).map(done -> {
      List<T> all = new ArrayList<>();
      answers.forEach(answer -> all.addAll(answer.result()));
      return all;
    });
  }

  private SeriesReader shardOf(String host) {
    return shards.get(shardOfHost.apply(host));
  }
}
