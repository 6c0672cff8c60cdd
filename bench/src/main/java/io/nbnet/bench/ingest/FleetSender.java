package io.nbnet.bench.ingest;

import io.nbnet.wire.FrameClient;
import io.nbnet.wire.Replies;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection of the simulated fleet: walks its share of hosts round after round, keeping
 * {@code inFlight} frames outstanding, as fast as acknowledgements come back.
 */
final class FleetSender {

  private final FrameClient client;
  private final SyntheticFleet fleet;
  private final int firstHost;
  private final int hostCount;
  private final int inFlight;
  private final AtomicLong acknowledgedSamples;
  private final String source;
  private final Promise<Void> done = Promise.promise();
  private long next;
  private int outstanding;
  private long stopAtNanos;
  private long refused;

  FleetSender(FrameClient client, SyntheticFleet fleet, int firstHost, int hostCount, int inFlight,
              AtomicLong acknowledgedSamples, String source) {
    this.client = client;
    this.fleet = fleet;
    this.firstHost = firstHost;
    this.hostCount = hostCount;
    this.inFlight = inFlight;
    this.acknowledgedSamples = acknowledgedSamples;
    this.source = source;
  }

  /** Sends until {@code stopAtNanos}; completes when every frame sent is answered. */
  Future<Void> run(long stopAtNanos) {
    this.stopAtNanos = stopAtNanos;
    fill();
    return done.future();
  }

  long refused() {
    return refused;
  }

  private void fill() {
    while (outstanding < inFlight && System.nanoTime() < stopAtNanos) {
      long index = next++;
      int host = firstHost + (int) (index % hostCount);
      long round = index / hostCount;
      Buffer frame = fleet.frame(host, round, source, index);
      outstanding++;
      client.send(frame).onComplete(ar -> {
        outstanding--;
        if (ar.succeeded() && Replies.isOk(ar.result())) {
          acknowledgedSamples.addAndGet(fleet.metrics());
        } else {
          refused++;
        }
        if (ar.failed()) {
          done.tryFail(ar.cause());
          return;
        }
        fill();
        if (outstanding == 0 && System.nanoTime() >= stopAtNanos) {
          done.tryComplete();
        }
      });
    }
  }
}
