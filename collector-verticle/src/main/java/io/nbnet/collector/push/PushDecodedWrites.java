package io.nbnet.collector.push;

import io.nbnet.collector.metrics.CollectorMeters;
import io.nbnet.formats.Sample;
import io.nbnet.remotewrite.DecodedWrite;
import io.nbnet.remotewrite.UnreadableWriteException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * What the collector's write endpoints of other agents' protocols (Prometheus remote write, OTLP)
 * share: the body decoded on a worker thread; its samples this collector's host's (another host's only
 * with {@code push.allowOtherHosts}: left out and named otherwise) and within {@code push.maxSeries};
 * queued or spooled as sampled ones; the outcome answered in the protocol's shape and counted
 * ({@code nbnet_collector_push_*{format}}).
 */
final class PushDecodedWrites {

  /** Writes decoded and queued at once: memory stays within this many bodies. */
  private static final int MAX_IN_PROGRESS = 8;

  /** How a protocol answers. */
  interface Replies {
    /** Queued: {@code queued} samples, with what was left out in {@code problems} (empty when nothing). */
    void stored(RoutingContext ctx, DecodedWrite decoded, int queued, String problems);

    /** 400 (what can never succeed) or 503 (try again later, {@code Retry-After} set). */
    void refused(RoutingContext ctx, int status, String message);
  }

  private final Vertx vertx;
  private final PushConfig config;
  private final String host;
  private final PushedSeries series;
  private final Function<List<Sample>, Future<Void>> queue;
  private final String format;
  private final Function<RoutingContext, Callable<DecodedWrite>> decoding;
  private final Replies replies;
  private int inProgress;

  /** @param decoding what decodes a request's body, on a worker thread; throws {@link UnreadableWriteException} */
  PushDecodedWrites(Vertx vertx, PushConfig config, String host, PushedSeries series, Function<List<Sample>, Future<Void>> queue,
                    String format, Function<RoutingContext, Callable<DecodedWrite>> decoding, Replies replies) {
    this.vertx = vertx;
    this.config = config;
    this.host = host;
    this.series = series;
    this.queue = queue;
    this.format = format;
    this.decoding = decoding;
    this.replies = replies;
  }

  void handle(RoutingContext ctx) {
    if (inProgress >= MAX_IN_PROGRESS) {
      refused(ctx, "busy", 503, MAX_IN_PROGRESS + " writes in progress; try again shortly");
      return;
    }
    inProgress++;
    vertx.executeBlocking(decoding.apply(ctx), false).onComplete(decoding -> {
      if (decoding.failed()) {
        inProgress--;
        refused(ctx, "invalid", 400, decoding.cause() instanceof UnreadableWriteException unreadable ? unreadable.getMessage()
          : "unreadable body");
        return;
      }
      DecodedWrite decoded = decoding.result();
      decoded.leftOut().forEach((reason, count) -> CollectorMeters.pushDropped(format, reason).increment(count));
      List<Sample> ours = new ArrayList<>(decoded.samples().size());
      int strangers = 0;
      for (Sample sample : decoded.samples()) {
        if (config.allowOtherHosts() || sample.host().equals(host)) {
          ours.add(sample);
        } else {
          strangers++;
        }
      }
      List<String> problems = new ArrayList<>();
      if (!decoded.problems().isEmpty()) {
        problems.add(decoded.problems());
      }
      if (strangers > 0) {
        CollectorMeters.pushDropped(format, "other_host").increment(strangers);
        problems.add(strangers + " samples of other hosts than " + host + "; collector.push.allowOtherHosts lets them through");
      }
      Optional<String> overLimit = ours.isEmpty() ? Optional.empty() : series.admit(ours);
      if (overLimit.isPresent()) {
        inProgress--;
        refused(ctx, "series_limit", 400, overLimit.get());
        return;
      }
      Future<Void> queued = ours.isEmpty() ? Future.succeededFuture() : queue.apply(ours);
      queued.onComplete(done -> {
        inProgress--;
        if (done.failed()) {
          refused(ctx, "buffer_full", 503, "the collector's buffer cannot take them now: " + done.cause().getMessage());
        } else {
          CollectorMeters.pushedSamples(format).increment(ours.size());
          replies.stored(ctx, decoded, ours.size(), String.join("; ", problems));
        }
      });
    });
  }

  private void refused(RoutingContext ctx, String reason, int status, String message) {
    CollectorMeters.pushRefused(format, reason).increment();
    if (status == 503) {
      ctx.response().putHeader("Retry-After", "1");
    }
    replies.refused(ctx, status, message);
  }
}
