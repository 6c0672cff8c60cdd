package io.nbnet.bench.storage;

import io.nbnet.wire.FrameClient;
import io.nbnet.wire.Replies;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/**
 * One connection of the simulated fleet: sends its share of hosts interval after interval, from
 * {@code firstInterval} to before {@code endInterval} (every series of every host, in time order),
 * keeping {@code inFlight} frames outstanding, as fast as acknowledgements come back. A refused frame is
 * sent again, so every sample is stored in the end.
 */
final class FleetSender {

  private final FrameClient client;
  private final MovingFleet fleet;
  private final int firstHost;
  private final int hostCount;
  private final long firstInterval;
  private final long endInterval;
  private final int inFlight;
  private final RateTimeline timeline;
  private final Promise<Void> done = Promise.promise();
  private long next;
  private int outstanding;
  private long refused;

  FleetSender(FrameClient client, MovingFleet fleet, int firstHost, int hostCount, long firstInterval, long endInterval, int inFlight,
              RateTimeline timeline) {
    this.client = client;
    this.fleet = fleet;
    this.firstHost = firstHost;
    this.hostCount = hostCount;
    this.firstInterval = firstInterval;
    this.endInterval = endInterval;
    this.next = firstInterval * hostCount;
    this.inFlight = inFlight;
    this.timeline = timeline;
  }

  Future<Void> run() {
    fill();
    return done.future();
  }

  long refused() {
    return refused;
  }

  private void fill() {
    while (outstanding < inFlight && next < endInterval * hostCount) {
      long index = next++;
      send(fleet.frame(firstHost + (int) (index % hostCount), index / hostCount));
    }
    if (outstanding == 0 && next >= endInterval * hostCount) {
      done.tryComplete();
    }
  }

  private void send(Buffer frame) {
    outstanding++;
    client.send(frame).onComplete(ar -> {
      outstanding--;
      if (ar.failed()) {
        done.tryFail(ar.cause());
        return;
      }
      if (Replies.isOk(ar.result())) {
        timeline.add(fleet.seriesPerHost());
        fill();
      } else {
        refused++;
        send(frame);
      }
    });
  }
}
