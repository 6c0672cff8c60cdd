package io.nbnet.wire;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/**
 * A way to the next hop that answers each frame with one reply: a TCP connection ({@link FrameClient})
 * or the event bus ({@link EventBusLink}). When the link breaks, the close listener is called once.
 */
public interface FrameLink {

  Future<Buffer> send(Buffer payload);

  FrameLink closeListener(Consumer<Throwable> listener);

  Future<Void> close();

  /** Opens links to one next hop. */
  interface Connector {

    Future<FrameLink> connect();

    /** The next hop, for log lines and metric tags. */
    String describe();
  }
}
