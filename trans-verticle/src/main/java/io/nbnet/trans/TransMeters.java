package io.nbnet.trans;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.nbnet.support.metrics.NbnetMeters;

/** Trans's own meters (its server's are the wire's, its spool's the buffer's), each name written once. */
final class TransMeters {

  private TransMeters() {
  }

  static Timer kafkaPublish(String topic) {
    return NbnetMeters.timer("nbnet.kafka.publish", "time from a frame's arrival to the brokers' acknowledgement", "topic", topic);
  }

  static Counter kafkaPublishFailures(String topic) {
    return NbnetMeters.counter("nbnet.kafka.publish.failures", "frames the brokers did not acknowledge in time", "topic", topic);
  }
}
