package io.nbnet.saver.kafka;

import io.micrometer.core.instrument.Counter;
import io.nbnet.saver.KafkaIngestConfig;
import io.nbnet.saver.metrics.SaverMeters;
import io.nbnet.wire.ErrorKind;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.Peer;
import io.nbnet.wire.Replies;
import io.nbnet.wire.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The saver's side of Kafka mode: polls the frames topic as a member of the savers' consumer group and
 * hands each partition's frames, in order, to the storage of the shard that owns the partition. A
 * partition's offset is committed only up to the frames its shard committed to MySQL: a saver that
 * dies replays the rest, and the keyed rows make a replay add nothing. A shard that refuses a frame
 * ({@code ERR unavailable}: its MySQL is away) pauses only its own partitions, which seek back to that
 * frame and try again after {@code retryMs}; the other shards' partitions carry on. A frame a shard
 * refuses for good (invalid, or past a series limit) goes to the dead-letter topic with the reason and
 * where it came from in its headers ({@code nbnet-reason}, {@code nbnet-source}), is counted and logged,
 * and the frames behind it go on; its offset is committed only once the dead letter is acknowledged.
 */
public final class KafkaIngest {

  private static final Logger log = Logger.getLogger(KafkaIngest.class.getName());
  private static final Peer KAFKA = new Peer("kafka", "kafka", Set.of());
  private static final Duration POLL = Duration.ofMillis(500);
  private static final long LAG_CHECK_MILLIS = 2_000;

  private final Vertx vertx;
  private final KafkaIngestConfig config;
  private final Map<Integer, RequestHandler> byPartition;
  private final KafkaConsumer<String, Buffer> consumer;
  private final KafkaProducer<String, Buffer> deadLetters;
  private final Map<Integer, Long> lag = new ConcurrentHashMap<>();
  private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
  /** Partitions paused until their shard is tried again. */
  private final Set<Integer> retrying = new HashSet<>();
  /** Partitions' frames being stored and committed now. */
  private final Set<Future<Void>> storing = new HashSet<>();
  private final Counter stored;
  private final Counter invalid;
  private final Counter retried;
  private final Promise<Void> stopped = Promise.promise();
  private boolean stopping;
  private long lagTimer = -1;

  public KafkaIngest(Vertx vertx, KafkaIngestConfig config, Map<Integer, RequestHandler> byPartition) {
    this.vertx = vertx;
    this.config = config;
    this.byPartition = Map.copyOf(byPartition);
    this.consumer = KafkaConsumer.create(vertx, config.consumerProperties());
    this.deadLetters = KafkaProducer.create(vertx, config.deadLetterProducerProperties());
    this.stored = SaverMeters.kafkaFrames(config.topic(), "stored");
    this.invalid = SaverMeters.kafkaFrames(config.topic(), "invalid");
    this.retried = SaverMeters.kafkaFrames(config.topic(), "retried");
  }

  public Future<Void> start() {
    consumer.partitionsAssignedHandler(partitions -> {
      partitions.forEach(tp -> {
        assigned.add(tp.getPartition());
        SaverMeters.kafkaLag(config.topic(), tp.getPartition(), () -> lag.getOrDefault(tp.getPartition(), 0L));
      });
      log.info("saver now stores Kafka partitions " + numbers(partitions) + " of " + config.topic());
    });
    consumer.partitionsRevokedHandler(partitions -> {
      partitions.forEach(tp -> {
        assigned.remove(tp.getPartition());
        lag.remove(tp.getPartition());
      });
      log.info("saver no longer stores Kafka partitions " + numbers(partitions) + " of " + config.topic());
    });
    consumer.exceptionHandler(failure -> log.warning("Kafka consumer: " + failure.getMessage()));
    return consumer.subscribe(config.topic()).onSuccess(v -> {
      log.info("saver consumes " + config.topic() + " at " + config.bootstrap() + " as a member of group " + config.group());
      lagTimer = vertx.setPeriodic(LAG_CHECK_MILLIS, id -> checkLag());
      consumer.partitionsFor(config.topic()).onSuccess(partitions -> {
        if (!partitions.isEmpty() && partitions.size() != config.partitionCount()) {
          log.severe("topic " + config.topic() + " has " + partitions.size() + " partitions but saver.kafka.shards cover "
            + config.partitionCount() + ": hosts are looked up on the wrong shard; make the shards cover every partition");
        }
      });
      poll();
    });
  }

  /** Stops polling, lets the frames in hand finish (and commit), then leaves the group. */
  public Future<Void> stop() {
    stopping = true;
    if (lagTimer >= 0) {
      vertx.cancelTimer(lagTimer);
    }
    return stopped.future()
      .compose(v -> Future.join(List.copyOf(storing)).<Void>mapEmpty().recover(failure -> Future.succeededFuture()))
      .eventually(consumer::close)
      .eventually(deadLetters::close);
  }

  private void poll() {
    if (stopping) {
      stopped.tryComplete();
      return;
    }
    consumer.poll(POLL)
      .compose(this::store)
      .onComplete(ar -> {
        if (ar.failed()) {
          log.warning("Kafka poll or commit failed, polling again: " + ar.cause().getMessage());
        }
        poll();
      });
  }

  /**
   * Starts storing a polled batch, each partition on its own: a partition is paused while its frames
   * are stored and its offset committed, so the loop polls on for the others at once and a slow or
   * absent shard holds back only its own partitions.
   */
  private Future<Void> store(KafkaConsumerRecords<String, Buffer> records) {
    Map<Integer, List<KafkaConsumerRecord<String, Buffer>>> partitions = new LinkedHashMap<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, Buffer> record = records.recordAt(i);
      partitions.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record);
    }
    partitions.forEach((partition, list) -> {
      TopicPartition topicPartition = new TopicPartition(config.topic(), partition);
      consumer.pause(topicPartition);
      Future<Void> done = storePartition(partition, list)
        .compose(offset -> offset < 0 ? Future.<Void>succeededFuture() : consumer.commit(Map.of(topicPartition, new OffsetAndMetadata(offset, null)))
          .<Void>mapEmpty()
          .recover(failure -> {
            // revoked meanwhile: its next owner replays from the last commit, and replays add nothing
            log.fine(() -> "Kafka commit of partition " + partition + " failed: " + failure.getMessage());
            return Future.succeededFuture();
          }))
        .onComplete(ar -> {
          if (!retrying.contains(partition) && assigned.contains(partition)) {
            consumer.resume(topicPartition);
          }
        });
      storing.add(done);
      done.onComplete(ar -> storing.remove(done));
    });
    return Future.succeededFuture();
  }

  /**
   * Hands one partition's frames to its shard all at once (the shard batches them) and completes with
   * the offset to commit: past the last frame, or at the first frame the shard could not take now, to
   * which the partition seeks back and pauses. -1: nothing to commit.
   */
  private Future<Long> storePartition(int partition, List<KafkaConsumerRecord<String, Buffer>> records) {
    TopicPartition topicPartition = new TopicPartition(config.topic(), partition);
    RequestHandler shard = byPartition.get(partition);
    if (shard == null) {
      log.severe("Kafka partition " + partition + " of " + config.topic() + " belongs to no shard in saver.kafka.shards: paused, its frames wait");
      return retryLater(topicPartition, records.get(0).offset(), Long.MAX_VALUE).map(-1L);
    }
    List<Future<Buffer>> replies = new ArrayList<>(records.size());
    records.forEach(record -> replies.add(handle(shard, record.value())));
    return Future.join(replies).transform(ar -> {
      List<Future<?>> letters = new ArrayList<>();
      long firstLetter = -1;
      long commit = records.get(records.size() - 1).offset() + 1;
      for (int i = 0; i < records.size(); i++) {
        Future<Buffer> reply = replies.get(i);
        FrameException failure = reply.succeeded() ? null : asFrameException(reply.cause());
        long offset = records.get(i).offset();
        if (failure == null) {
          stored.increment();
        } else if (failure.kind() == ErrorKind.INVALID || failure.kind() == ErrorKind.PROTOCOL || failure.kind() == ErrorKind.REFUSED) {
          invalid.increment();
          String reason = failure.kind().label() + ": " + failure.getMessage();
          log.warning("Kafka partition " + partition + " offset " + offset + ": frame refused for good, sent to " + config.deadLetterTopic()
            + ": " + reason);
          letters.add(deadLetter(records.get(i), reason));
          firstLetter = firstLetter < 0 ? offset : firstLetter;
        } else {
          retried.increment(records.size() - i);
          log.warning("Kafka partition " + partition + ": its shard cannot store now (" + failure.getMessage() + "); retrying from offset "
            + offset + " in " + config.retryMillis() + " ms");
          commit = i == 0 ? -1L : offset;
          break;
        }
      }
      long committable = commit;
      long replayFrom = firstLetter;
      boolean mustRetry = committable < records.get(records.size() - 1).offset() + 1;
      return Future.join(letters).transform(sent -> {
        if (sent.failed()) {
          // nothing is passed over before its dead letter is kept: the partition goes back to the first of them
          log.warning("Kafka partition " + partition + ": cannot write to " + config.deadLetterTopic() + " (" + sent.cause().getMessage()
            + "); retrying from offset " + replayFrom + " in " + config.retryMillis() + " ms");
          return retryLater(topicPartition, replayFrom, config.retryMillis()).map(replayFrom == records.get(0).offset() ? -1L : replayFrom);
        }
        if (mustRetry) {
          long from = committable < 0 ? records.get(0).offset() : committable;
          return retryLater(topicPartition, from, config.retryMillis()).map(committable);
        }
        return Future.succeededFuture(committable);
      });
    });
  }

  /** The record in the dead-letter topic, with its key, why and where it came from. */
  private Future<?> deadLetter(KafkaConsumerRecord<String, Buffer> record, String reason) {
    KafkaProducerRecord<String, Buffer> letter = KafkaProducerRecord.create(config.deadLetterTopic(), record.key(), record.value())
      .addHeader("nbnet-reason", reason)
      .addHeader("nbnet-source", record.topic() + "/" + record.partition() + "@" + record.offset());
    return deadLetters.send(letter);
  }

  private static Future<Buffer> handle(RequestHandler shard, Buffer payload) {
    Future<Buffer> reply;
    try {
      reply = shard.handle(payload, KAFKA);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return reply.compose(buffer -> Replies.isOk(buffer) ? Future.succeededFuture(buffer) : Future.failedFuture(Replies.toException(buffer)));
  }

  /** Seeks the partition back to {@code offset} and keeps it paused for {@code millis} (for good: {@code Long.MAX_VALUE}). */
  private Future<Void> retryLater(TopicPartition partition, long offset, long millis) {
    retrying.add(partition.getPartition());
    return consumer.pause(partition)
      .compose(v -> consumer.seek(partition, offset))
      .onComplete(v -> {
        if (millis != Long.MAX_VALUE) {
          vertx.setTimer(millis, id -> {
            retrying.remove(partition.getPartition());
            if (assigned.contains(partition.getPartition())) {
              consumer.resume(partition);
            }
          });
        }
      });
  }

  private void checkLag() {
    Set<TopicPartition> partitions = assigned.stream().map(p -> new TopicPartition(config.topic(), p)).collect(Collectors.toSet());
    if (partitions.isEmpty()) {
      return;
    }
    consumer.endOffsets(partitions).onSuccess(ends -> ends.forEach((tp, end) ->
      consumer.position(tp).onSuccess(position -> lag.put(tp.getPartition(), Math.max(0, end - position)))));
  }

  private static FrameException asFrameException(Throwable cause) {
    return cause instanceof FrameException frame ? frame : FrameException.unavailable(String.valueOf(cause.getMessage()), cause);
  }

  private static String numbers(Set<TopicPartition> partitions) {
    return partitions.stream().map(TopicPartition::getPartition).sorted().toList().toString();
  }
}
