package io.nbnet.forward;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Every remote write target of a process: a frame offered is queued for each, and each sends on its
 * own ({@link TargetSender}), so one that is away or slow holds up nothing but its own queue.
 */
public final class ForwardTargets {

  private final List<TargetSender> senders;

  private ForwardTargets(List<TargetSender> senders) {
    this.senders = senders;
  }

  /** Opens every target's queue, on the caller's event loop (a verticle's start). */
  public static Future<ForwardTargets> open(Vertx vertx, List<RemoteWriteTarget> targets) {
    List<Future<TargetSender>> opened = new ArrayList<>();
    for (RemoteWriteTarget target : targets) {
      opened.add(TargetSender.open(vertx, target));
    }
    return Future.join(opened).transform(all -> {
      if (all.succeeded()) {
        return Future.succeededFuture(new ForwardTargets(opened.stream().map(Future::result).toList()));
      }
      // the ones that opened let their spools go again, so a second start is not refused
      return Future.join(opened.stream().filter(Future::succeeded).map(f -> f.result().close()).toList())
        .transform(closed -> Future.failedFuture(all.cause()));
    });
  }

  public boolean isEmpty() {
    return senders.isEmpty();
  }

  /** Queues the frame for every target; completes once each holds it (or has counted it refused): never fails. */
  public Future<Void> offer(Buffer frame) {
    if (senders.size() == 1) {
      return senders.get(0).offer(frame);
    }
    List<Future<Void>> queued = new ArrayList<>(senders.size());
    for (TargetSender sender : senders) {
      queued.add(sender.offer(frame));
    }
    return Future.join(queued).mapEmpty();
  }

  /** Stops sending; what was not delivered stays in the targets' spools (memory only: lost, and logged). */
  public Future<Void> close() {
    return Future.join(senders.stream().map(TargetSender::close).toList()).mapEmpty();
  }
}
