package io.nbnet.trans;

import io.nbnet.formats.PayloadHosts;
import io.nbnet.wire.Peer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * Where trans sends frames on: the savers over TCP ({@link SaverFailover}), over the event bus in
 * a cluster ({@link EventBusForwarder}), or a Kafka topic ({@link KafkaForwarder}). A reply is the
 * saver's (or the brokers' OK), error replies included; a failure means no saver could be asked.
 */
interface Forwarder extends Relay {

  /** Completes with the reply of the saver that took the frame, or fails ({@code ERR unavailable}) when none could. */
  Future<Buffer> forward(Buffer payload);

  /** As {@link #forward(Buffer)}, for a payload whose hosts trans found already. */
  default Future<Buffer> forward(Buffer payload, PayloadHosts hosts) {
    return forward(payload);
  }

  /** Sends frames in their order and completes with one reply per frame; fails when no saver could take them. */
  Future<List<Buffer>> forwardInOrder(List<Buffer> payloads);

  void close();

  @Override
  default Future<Buffer> handle(Buffer payload, Peer peer) {
    return forward(payload);
  }

  @Override
  default Future<Buffer> handle(PayloadHosts hosts, Buffer payload, Peer peer) {
    return forward(payload, hosts);
  }
}
