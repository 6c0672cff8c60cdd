package io.nbnet.wire;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * Writes frames to a socket, coalescing: frames queued during one event-loop task go out in a single
 * write (one syscall) at the end of the task, or earlier when {@link #flush} is called. Payloads of
 * {@value #COPY_LIMIT} bytes or more are written as they are, not copied into the batch. The batch is
 * a pooled direct buffer handed to the channel as it is (the channel releases it once written): a heap
 * buffer would be copied into a direct one by the channel on every write.
 */
final class FrameWriter {

  static final int COPY_LIMIT = 4096;

  private final Context context;
  private final NetSocketInternal socket;
  private ByteBuf pending;
  /** {@link #pending} seen as a Buffer, made once per batch. */
  private Buffer pendingView;
  private boolean flushScheduled;
  private boolean holding;

  FrameWriter(Context context, NetSocket socket) {
    this.context = context;
    this.socket = (NetSocketInternal) socket;
  }

  /** Queues one frame carrying {@code payload}. */
  void writeFrame(Buffer payload) {
    Buffer batch = pendingBuffer(payload.length());
    Frames.appendHeader(batch, payload.length());
    if (payload.length() >= COPY_LIMIT) {
      flush();
      socket.write(payload);
      return;
    }
    batch.appendBuffer(payload);
    scheduleFlush();
  }

  /** Frames queued from now on wait for {@link #release}, e.g. while one incoming chunk is parsed. */
  void hold() {
    holding = true;
  }

  /** Ends {@link #hold} and writes what is queued. */
  void release() {
    holding = false;
    flush();
  }

  /** Writes what is queued now. */
  Future<Void> flush() {
    if (pending == null) {
      return Future.succeededFuture();
    }
    ByteBuf batch = pending;
    pending = null;
    pendingView = null;
    return socket.writeMessage(batch);
  }

  private Buffer pendingBuffer(int expected) {
    if (pending == null) {
      pending = socket.channelHandlerContext().alloc().directBuffer(Math.max(256, Frames.HEADER_LENGTH + Math.min(expected, COPY_LIMIT)));
      pendingView = BufferInternal.buffer(pending);
    }
    return pendingView;
  }

  private void scheduleFlush() {
    if (!holding && !flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> {
        flushScheduled = false;
        flush();
      });
    }
  }
}
