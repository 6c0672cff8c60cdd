package io.nbnet.trans;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.nbnet.formats.FrameSplit;
import io.nbnet.formats.InvalidPayloadException;
import io.nbnet.support.metrics.NbnetMeters;
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

/**
 * Trans in Kafka mode: each frame is published to the topic keyed by its host (a frame of several
 * hosts is split, one frame per host), so one host's frames stay in order on one partition and the
 * partition's shard holds all of that host. The sender gets {@code OK} once the brokers acknowledged
 * every part (idempotent producer, {@code acks=all}); a broker away past {@code timeoutMs} is
 * {@code ERR unavailable} for the sender, or a reason to spool.
 */
final class KafkaForwarder implements Forwarder {

  private final KafkaProducer<String, Buffer> producer;
  private final KafkaConfig config;
  private final Timer publishLatency;
  private final Counter failures;

  KafkaForwarder(Vertx vertx, KafkaConfig config) {
    this.config = config;
    this.producer = KafkaProducer.create(vertx, config.producerProperties());
    this.publishLatency = NbnetMeters.timer("nbnet.kafka.publish", "time from a frame's arrival to the brokers' acknowledgement",
      "topic", config.topic());
    this.failures = NbnetMeters.counter("nbnet.kafka.publish.failures", "frames the brokers did not acknowledge in time",
      "topic", config.topic());
  }

  @Override
  public Future<Buffer> forward(Buffer payload) {
    Map<String, Buffer> parts;
    try {
      parts = FrameSplit.byHost(payload);
    } catch (InvalidPayloadException e) {
      return Future.failedFuture(FrameException.invalid(e.getMessage()));
    }
    long start = System.nanoTime();
    List<Future<?>> sends = new ArrayList<>(parts.size());
    parts.forEach((host, part) -> sends.add(producer.send(KafkaProducerRecord.create(config.topic(), host, part))));
    return Future.all(sends)
      .map(done -> {
        publishLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return Replies.ok();
      })
      .recover(failure -> {
        failures.increment();
        return Future.failedFuture(FrameException.unavailable("Kafka at " + config.bootstrap() + " did not take the frame: "
          + failure.getMessage(), failure));
      });
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
