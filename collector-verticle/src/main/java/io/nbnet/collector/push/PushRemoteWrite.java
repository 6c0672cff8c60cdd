package io.nbnet.collector.push;

import io.nbnet.collector.metrics.CollectorMeters;
import io.nbnet.formats.Sample;
import io.nbnet.remotewrite.DecodedWrite;
import io.nbnet.remotewrite.RemoteWriteDecoder;
import io.nbnet.remotewrite.RemoteWriteException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Prometheus remote write to the local collector ({@code POST /api/v1/write} of the push port): a node's
 * own agent (Prometheus in agent mode, vmagent, Telegraf) rides the collector's buffer and spool to the
 * saver. Its series belong to this collector's host unless they carry a {@code host} label (another
 * host's only with {@code push.allowOtherHosts}); {@code instance} and {@code job} stay labels. 204 once
 * queued or spooled; 400 for what can never succeed (the request's other series are queued first); 503
 * with {@code Retry-After} when the buffer refuses them or too many writes are in progress.
 */
final class PushRemoteWrite {

  /** Writes decoded and queued at once: memory stays within this many bodies. */
  private static final int MAX_IN_PROGRESS = 8;

  private final Vertx vertx;
  private final PushConfig config;
  private final String host;
  private final RemoteWriteDecoder decoder;
  private final PushedSeries series;
  private final Function<List<Sample>, Future<Void>> queue;
  private int inProgress;

  PushRemoteWrite(Vertx vertx, PushConfig config, String host, PushedSeries series, Function<List<Sample>, Future<Void>> queue) {
    this.vertx = vertx;
    this.config = config;
    this.host = host;
    this.decoder = new RemoteWriteDecoder(config.remoteWrite(), host, false);
    this.series = series;
    this.queue = queue;
  }

  void write(RoutingContext ctx) {
    if (inProgress >= MAX_IN_PROGRESS) {
      refused(ctx, "busy", 503, MAX_IN_PROGRESS + " writes in progress; try again shortly");
      return;
    }
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    long now = System.currentTimeMillis();
    inProgress++;
    vertx.executeBlocking(() -> decoder.decode(body, now - config.maxAgeMs(), now + config.maxFutureMs()), false).onComplete(decoding -> {
      if (decoding.failed()) {
        inProgress--;
        refused(ctx, "invalid", 400, decoding.cause() instanceof RemoteWriteException unreadable ? unreadable.getMessage() : "unreadable body");
        return;
      }
      DecodedWrite decoded = decoding.result();
      decoded.leftOut().forEach((reason, count) -> CollectorMeters.pushDropped("remote_write", reason).increment(count));
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
        CollectorMeters.pushDropped("remote_write", "other_host").increment(strangers);
        problems.add(strangers + " samples of other hosts than " + host + " (a host label); collector.push.allowOtherHosts lets them through");
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
        } else if (problems.isEmpty()) {
          CollectorMeters.pushedSamples("remote_write").increment(ours.size());
          ctx.response().setStatusCode(204).end();
        } else {
          CollectorMeters.pushedSamples("remote_write").increment(ours.size());
          answer(ctx, 400, String.join("; ", problems) + (ours.isEmpty() ? "" : "; the other " + ours.size() + " samples are queued"));
        }
      });
    });
  }

  private static void refused(RoutingContext ctx, String reason, int status, String message) {
    CollectorMeters.pushRefused("remote_write", reason).increment();
    if (status == 503) {
      ctx.response().putHeader("Retry-After", "1");
    }
    answer(ctx, status, message);
  }

  private static void answer(RoutingContext ctx, int status, String message) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(message + "\n");
    }
  }
}
