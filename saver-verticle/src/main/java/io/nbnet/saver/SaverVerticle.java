package io.nbnet.saver;

import io.nbnet.saver.http.ApiServer;
import io.nbnet.saver.http.SampleWriter;
import io.nbnet.saver.kafka.KafkaIngest;
import io.nbnet.saver.query.SeriesReader;
import io.nbnet.saver.rules.RuleEvaluator;
import io.nbnet.saver.query.ShardedSeries;
import io.nbnet.saver.query.StoreQueries;
import io.nbnet.store.BatchingConfig;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.Head;
import io.nbnet.store.StoreReader;
import io.nbnet.support.config.ConfigDiff;
import io.nbnet.support.config.Section;
import io.nbnet.wire.FrameServer;
import io.nbnet.wire.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Accepts frames on the saver port and stores them in MySQL; its config is the {@code saver} section.
 * With a {@code kafka} section it also consumes the frames topic, each partition into the storage of
 * the shard that owns it.
 */
public class SaverVerticle extends VerticleBase {

  private static final Logger log = Logger.getLogger(SaverVerticle.class.getName());

  private Storage storage;
  private final Map<String, Storage> shards = new LinkedHashMap<>();
  /** Every shard's storage by shard name (the saver's own where a shard names its database), once Kafka mode started. */
  private final Map<String, Storage> storageOfShard = new ConcurrentHashMap<>();
  private KafkaIngest kafka;
  private EventBusIngest eventBus;
  private SaverConfig running;
  private Section<SaverConfig> section;
  private FrameServer server;
  private final List<StoreReader> readers = new ArrayList<>();
  private ApiServer api;
  private IngestPressure pressure;
  private RuleEvaluator rules;

  public SaverVerticle(Section<SaverConfig> section) {
    this.section = section;
    this.running = section.config();
  }

  @Override
  public Future<?> start() {
    SaverConfig config = running;
    config.deprecations().forEach(log::warning);
    storage = new Storage(vertx, Storage.OWN, config, config.mysql());
    server = new FrameServer(vertx, "saver", config.server(), storage.requests("saver", config.server().tls()));
    if (config.http().enabled()) {
      pressure = new IngestPressure(vertx, () -> storageOfShard.isEmpty() ? List.of(storage.store())
        : storageOfShard.values().stream().map(Storage::store).toList());
      pressure.start();
      api = new ApiServer(vertx, config.http(), seriesReader(config, "nbnet-api"), config.store().retention(), config.remoteWrite(),
        config.store().limits().maxFutureMs(), sampleWriter(config), pressure::busy);
    }
    if (config.rules().enabled()) {
      rules = new RuleEvaluator(vertx, config.rules(), seriesReader(config, "nbnet-rules"), sampleWriter(config),
        storage.store().leadership("rules", "evaluates the alerting and recording rules"), config.http().maxSamples(),
        config.http().queryTimeoutMs());
      storage.store().onReady(rules::start);
      if (api != null) {
        api.rules(rules::status);
      }
    }
    return storage.createNowOrLater()
      .compose(v -> server.listen())
      .compose(v -> api == null ? Future.succeededFuture() : api.listen())
      .compose(v -> config.eventBus().isEmpty() ? Future.succeededFuture()
        : EventBusIngest.register(vertx, config.eventBus().get().address(), storage.requests()).onSuccess(registered -> eventBus = registered))
      .compose(v -> config.kafka().map(kafkaConfig -> startKafka(config, kafkaConfig)).orElse(Future.succeededFuture()));
  }

  /** The API reads the saver's database; in Kafka mode every shard's (a host's own shard for its series). */
  private SeriesReader seriesReader(SaverConfig config, String poolName) {
    if (config.kafka().isEmpty()) {
      return readerOf(config, config.mysql(), poolName, storage.store().head());
    }
    Map<String, SeriesReader> byShard = new HashMap<>();
    config.kafka().get().shards().forEach(shard -> byShard.put(shard.name(), readerOf(config, shard.mysql(), poolName + "-" + shard.name(), Optional.empty())));
    return new ShardedSeries(byShard, config.kafka().get()::shardOfHost);
  }

  /** The write APIs store in the saver's database; in Kafka mode in each host's shard (once the shards are open). */
  private SampleWriter sampleWriter(SaverConfig config) {
    if (config.kafka().isEmpty()) {
      return new HostStores(host -> Optional.of(storage.store()), () -> List.of(storage.store()));
    }
    KafkaIngestConfig kafkaConfig = config.kafka().get();
    return new HostStores(host -> Optional.ofNullable(storageOfShard.get(kafkaConfig.shardOfHost(host))).map(Storage::store),
      () -> storageOfShard.values().stream().map(Storage::store).toList());
  }

  private SeriesReader readerOf(SaverConfig config, MySqlConfig mysql, String poolName, Optional<Head> head) {
    StoreReader reader = StoreReader.open(vertx, mysql, config.store().layout(), config.http().maxQueries(), config.http().queryTimeoutMs(),
      poolName);
    readers.add(reader);
    return new StoreQueries(reader, head, config.store().retention(), config.http().maxSeries());
  }

  /** One storage per shard (the saver's own when a shard names the same database), then the consumer. */
  private Future<Void> startKafka(SaverConfig config, KafkaIngestConfig kafkaConfig) {
    Map<Integer, RequestHandler> byPartition = new HashMap<>();
    for (KafkaIngestConfig.Shard shard : kafkaConfig.shards()) {
      Storage shardStorage = shard.mysql().equals(config.mysql()) ? storage
        : shards.computeIfAbsent(shard.name(), name -> new Storage(vertx, "shard-" + name, config, shard.mysql()));
      shard.partitions().forEach(partition -> byPartition.put(partition, shardStorage.requests()));
      storageOfShard.put(shard.name(), shardStorage);
    }
    kafka = new KafkaIngest(vertx, kafkaConfig, byPartition);
    List<Future<Void>> schemas = new ArrayList<>();
    shards.values().forEach(shard -> schemas.add(shard.createNowOrLater()));
    return Future.all(schemas).compose(v -> kafka.start());
  }

  @Override
  public Future<?> stop() {
    if (eventBus != null) {
      eventBus.unregister();
    }
    if (pressure != null) {
      pressure.stop();
    }
    Future<Void> consumer = kafka == null ? Future.succeededFuture() : kafka.stop();
    return consumer.eventually(() -> rules == null ? Future.succeededFuture() : rules.stop())
      .eventually(server::close)
      .eventually(() -> api == null ? Future.succeededFuture() : api.close())
      .eventually(() -> Future.all(readers.stream().map(StoreReader::close).toList()))
      .eventually(() -> Future.all(shards.values().stream().map(Storage::stop).toList()))
      .eventually(storage::stop);
  }

  /** A new version of the section, from any thread: batching changes at once; anything else is logged as needing a restart. */
  public void reconfigure(Section<SaverConfig> nextSection) {
    context.runOnContext(v -> onConfigChanged(nextSection));
  }

  private void onConfigChanged(Section<SaverConfig> nextSection) {
    SaverConfig next = nextSection.config();
    BatchingConfig batching = next.store().batching();
    if (!batching.equals(running.store().batching())) {
      storage.store().batching(batching);
      shards.values().forEach(shard -> shard.store().batching(batching));
      log.info("saver batching is now " + batching);
    }
    ConfigDiff.warnIfRestartNeeded(log, "saver", section, nextSection, BatchingConfig.HOT_KEYS);
    section = nextSection;
    running = running.withBatching(batching);
  }

  /** The port the saver listens on (useful when configured with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** The port of the dashboard and query API; -1 when they are off. */
  public int apiPort() {
    return api == null ? -1 : api.actualPort();
  }

  /** The head of the saver's own database; empty when it is off (or in Kafka mode). */
  public Optional<Head> head() {
    return storage.store().head();
  }
}
