package io.nbnet.bench.loadrun;

import io.nbnet.wire.FrameParser;
import io.nbnet.wire.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One connection of a load run: keeps {@code inFlight} requests outstanding, checks and times every
 * reply, and sends one new request per reply until the run ends. The requests a chunk of replies
 * calls for go out in one write.
 */
final class LoadConnection {

  private final NetSocket socket;
  private final LoadPlan plan;
  private final LoadCounters counters;
  private final long[] sentAt;
  private final byte[] expected;
  private final Histogram latencyMicros = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
  private final Promise<Void> finished = Promise.promise();
  private int head;
  private int tail;
  private int outstanding;
  private int toSend;
  private boolean sending = true;
  private long measuredReplies;
  private long measuredErrors;

  LoadConnection(NetSocket socket, LoadPlan plan, LoadCounters counters) {
    this.socket = socket;
    this.plan = plan;
    this.counters = counters;
    this.sentAt = new long[plan.options().inFlight()];
    String prefix = plan.options().expectPrefix();
    this.expected = prefix == null ? null : prefix.getBytes(StandardCharsets.UTF_8);
    FrameParser parser = new FrameParser(plan.options().maxFrameBytes(), this::onReply, this::onProtocolError);
    socket.handler(chunk -> {
      parser.handle(chunk);
      if (toSend > 0) {
        send(toSend);
        toSend = 0;
      }
      finishIfDone();
    });
    socket.closeHandler(v -> finished.tryFail("connection to " + plan.options().host() + ":" + plan.options().port()
      + " closed by the server with " + outstanding + " replies outstanding"));
  }

  void start() {
    send(plan.options().inFlight());
  }

  Future<Void> finished() {
    return finished.future();
  }

  Histogram latencyMicros() {
    return latencyMicros;
  }

  long measuredReplies() {
    return measuredReplies;
  }

  long measuredErrors() {
    return measuredErrors;
  }

  void close() {
    socket.close();
  }

  private void send(int count) {
    long now = System.nanoTime();
    for (int i = 0; i < count; i++) {
      sentAt[tail] = now;
      tail = (tail + 1) % sentAt.length;
    }
    outstanding += count;
    socket.write(plan.requests(count));
  }

  private void onReply(Buffer payload) {
    long now = System.nanoTime();
    long sent = sentAt[head];
    head = (head + 1) % sentAt.length;
    outstanding--;
    boolean ok = expected == null || startsWith(payload, expected);
    counters.replies.increment();
    if (!ok) {
      counters.errors.increment();
    }
    if (sent >= plan.recordFromNanos() && now <= plan.endNanos()) {
      latencyMicros.recordValue(Math.min(latencyMicros.getHighestTrackableValue(), Math.max(1, (now - sent) / 1000)));
      measuredReplies++;
      if (!ok) {
        measuredErrors++;
      }
    }
    if (now < plan.endNanos()) {
      toSend++;
    } else {
      sending = false;
    }
  }

  private void finishIfDone() {
    if (!sending && outstanding == 0) {
      finished.tryComplete();
    }
  }

  private void onProtocolError(ProtocolException error) {
    counters.errors.increment();
    finished.tryFail("bad reply framing from the server: " + error.getMessage());
    socket.close();
  }

  private static boolean startsWith(Buffer payload, byte[] prefix) {
    if (payload.length() < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (payload.getByte(i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
