package io.nbnet.trans;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.nbnet.formats.InvalidPayloadException;
import io.nbnet.formats.PayloadHosts;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.Replies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Trans in Kafka mode: each frame is published to the topic keyed by its host (a frame of several
 * hosts is split, one frame per host), so one host's frames stay in order on one partition and the
 * partition's shard holds all of that host. The sender gets {@code OK} once the brokers acknowledged
 * every part (idempotent producer, {@code acks=all}); a broker away past {@code timeoutMs} is
 * {@code ERR unavailable} for the sender, or a reason to spool.
 */
final class KafkaForwarder implements Forwarder {

  private static final Logger log = Logger.getLogger(KafkaForwarder.class.getName());

  private final Vertx vertx;
  private KafkaProducer<String, Buffer> producer;
  private long producerCreatedNanos;
  /** Producers replaced since a send last succeeded: the first is logged, the rest of an outage at FINE. */
  private int replacedInOutage;
  private final KafkaConfig config;
  private final Timer publishLatency;
  private final Counter failures;

  KafkaForwarder(Vertx vertx, KafkaConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.producer = newProducer();
    this.publishLatency = TransMeters.kafkaPublish(config.topic());
    this.failures = TransMeters.kafkaPublishFailures(config.topic());
  }

  /** A payload from the spool, looked into here for the first time in this process. */
  @Override
  public Future<Buffer> forward(Buffer payload) {
    try {
      return forward(payload, PayloadHosts.of(payload));
    } catch (InvalidPayloadException e) {
      return Future.failedFuture(FrameException.invalid(e.getMessage()));
    }
  }

  @Override
  public Future<Buffer> forward(Buffer payload, PayloadHosts hosts) {
    Map<String, Buffer> parts = hosts.parts();
    long start = System.nanoTime();
    List<Future<?>> sends = new ArrayList<>(parts.size());
    parts.forEach((host, part) -> sends.add(producer.send(KafkaProducerRecord.create(config.topic(), host, part))));
    return Future.all(sends)
      .map(done -> {
        publishLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        replacedInOutage = 0;
        return Replies.ok();
      })
      .recover(failure -> {
        failures.increment();
        replaceProducer();
        return Future.failedFuture(FrameException.unavailable("Kafka at " + config.bootstrap() + " did not take the frame: "
          + failure.getMessage(), failure));
      });
  }

  private KafkaProducer<String, Buffer> newProducer() {
    KafkaProducer<String, Buffer> created = KafkaProducer.create(vertx, config.producerProperties());
    // every send's failure is answered to its sender (or spooled); the producer's own report would repeat it
    created.exceptionHandler(failure -> log.fine(() -> "Kafka producer: " + failure.getMessage()));
    producerCreatedNanos = System.nanoTime();
    return created;
  }

  /**
   * After batches expired while the brokers were away, an idempotent producer was seen here to stay
   * unable to send once they were back (its sends kept expiring): a producer older than
   * {@code timeoutMs} that failed a send is replaced by a new one (at most once per {@code timeoutMs}).
   */
  private void replaceProducer() {
    if (System.nanoTime() - producerCreatedNanos < TimeUnit.MILLISECONDS.toNanos(config.timeoutMillis())) {
      return;
    }
    KafkaProducer<String, Buffer> old = producer;
    producer = newProducer();
    Level level = replacedInOutage++ == 0 ? Level.INFO : Level.FINE;
    log.log(level, "replaced the Kafka producer after a failed send (" + replacedInOutage + " since the last frame Kafka took)");
    old.close(0);
  }

  @Override
  public Future<List<Buffer>> forwardInOrder(List<Buffer> payloads) {
    // sent together: the idempotent producer keeps the order of sending within each partition
    List<Future<Buffer>> replies = new ArrayList<>(payloads.size());
    payloads.forEach(payload -> replies.add(forward(payload)));
    return Future.all(replies).map(done -> {
      List<Buffer> result = new ArrayList<>(replies.size());
      replies.forEach(reply -> result.add(reply.result()));
      return result;
    });
  }

  @Override
  public void close() {
    producer.close();
  }
}
