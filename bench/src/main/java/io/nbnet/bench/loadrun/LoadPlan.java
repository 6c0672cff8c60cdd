package io.nbnet.bench.loadrun;

import io.nbnet.wire.Frames;
import io.vertx.core.buffer.Buffer;

/**
 * The run's timeline and its request bytes. Requests are encoded once; a batch of {@code n} requests
 * is built once per {@code n} and written again and again (Vert.x writes a duplicate of the buffer).
 */
final class LoadPlan {

  private static final int MAX_CACHED_BATCH_BYTES = 1 << 20;

  private final LoadRunOptions options;
  private final long recordFromNanos;
  private final long endNanos;
  private final Buffer request;
  private final Buffer[] batches;

  LoadPlan(LoadRunOptions options, long startNanos) {
    this.options = options;
    this.recordFromNanos = startNanos + options.warmup().toNanos();
    this.endNanos = recordFromNanos + options.duration().toNanos();
    this.request = Frames.encode(options.payload());
    this.batches = new Buffer[options.inFlight() + 1];
  }

  LoadRunOptions options() {
    return options;
  }

  long recordFromNanos() {
    return recordFromNanos;
  }

  long endNanos() {
    return endNanos;
  }

  /** Called on event-loop threads; a batch built twice by two loops is harmless. */
  Buffer requests(int count) {
    if (count == 1) {
      return request;
    }
    if ((long) count * request.length() > MAX_CACHED_BATCH_BYTES) {
      return build(count);
    }
    Buffer batch = batches[count];
    if (batch == null) {
      batch = build(count);
      batches[count] = batch;
    }
    return batch;
  }

  private Buffer build(int count) {
    Buffer batch = Buffer.buffer(count * request.length());
    for (int i = 0; i < count; i++) {
      batch.appendBuffer(request);
    }
    return batch;
  }
}
