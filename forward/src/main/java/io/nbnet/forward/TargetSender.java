package io.nbnet.forward;

import io.micrometer.core.instrument.Tags;
import io.nbnet.buffer.BufferMeters;
import io.nbnet.buffer.Outbox;
import io.nbnet.support.metrics.NbnetMeters;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One target's sender: frames wait in the target's own {@link Outbox} (memory, then its spool), a
 * batch of them is taken ({@code batchDelayMs} after the first arrives, at once while a backlog
 * waits), turned into requests ({@link SeriesBatch}), and each shard's requests are sent one after
 * another, the shards side by side. A request answered 5xx or 429, or not at all, is sent again after a
 * back-off that doubles up to {@code maxBackoffMs}; one answered with another 4xx is dropped and counted
 * with its status. The batch's frames are acknowledged once every request is settled, and only then is
 * the next batch taken: each series goes in time order, and a target that is away holds up its own
 * queue and nothing else. Runs on one event loop.
 */
final class TargetSender {

  private static final Logger log = Logger.getLogger(TargetSender.class.getName());
  private static final int MAX_FRAMES_PER_BATCH = 512;
  /** Of a refusal's body, what is logged: enough for Prometheus's reason, bounded whatever the target sends. */
  private static final int MAX_ANSWER_BYTES = 1024;

  private final Vertx vertx;
  private final Context context;
  private final RemoteWriteTarget target;
  private final Outbox queue;
  private final HttpClientAgent client;
  private final ForwardMeters meters;
  private final Map<String, SeriesBatch.HostSeries> known = new HashMap<>();
  private boolean sending;
  private long batchTimer = -1;
  private boolean closed;
  private int failuresInARow;
  private volatile long newestSentMillis;

  private TargetSender(Vertx vertx, RemoteWriteTarget target, Outbox queue) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.target = target;
    this.queue = queue;
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setConnectTimeout((int) Math.min(Integer.MAX_VALUE,
      target.timeoutMillis())).setName("nbnet-forward-" + target.name());
    target.tls().ifPresent(tls -> tls.applyTo(options));
    this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(target.shards()));
    this.meters = new ForwardMeters(NbnetMeters.registry(), target.name());
    BufferMeters.register(NbnetMeters.registry(), Tags.of("target", target.name()), queue.stats());
    meters.registerGauges(queue, this::lagSeconds);
  }

  /** Opens the target's queue (its spool's frames from an earlier run are sent first) on the caller's event loop. */
  static Future<TargetSender> open(Vertx vertx, RemoteWriteTarget target) {
    return Outbox.open(vertx, "remote write to " + target.name(), target.maxMemoryFrames(), target.spool())
      .map(queue -> {
        TargetSender sender = new TargetSender(vertx, target, queue);
        sender.batchSoon();
        return sender;
      });
  }

  /** Queues a frame; completes once the queue holds it (on disk, with a spool), or has refused it (counted, never failed). */
  Future<Void> offer(Buffer frame) {
    if (Vertx.currentContext() != context) {
      Promise<Void> queued = Promise.promise();
      context.runOnContext(v -> offer(frame).onComplete(queued));
      return queued.future();
    }
    if (closed) {
      meters.dropped("stopped", 1);
      return Future.succeededFuture();
    }
    return queue.push(frame).otherwiseEmpty().onComplete(v -> batchSoon());
  }

  Future<Void> close() {
    Promise<Void> closedDown = Promise.promise();
    context.runOnContext(v -> {
      closed = true;
      if (batchTimer >= 0) {
        vertx.cancelTimer(batchTimer);
      }
      // frames of the batch in flight come back first and go to the spool with the rest
      queue.rewind(Set.of()).eventually(queue::close).eventually(client::close).onComplete(closedDown);
    });
    return closedDown.future();
  }

  private void batchSoon() {
    if (closed || sending || batchTimer >= 0 || !queue.hasWaiting()) {
      return;
    }
    batchTimer = vertx.setTimer(target.batchDelayMillis(), id -> {
      batchTimer = -1;
      sendBatch();
    });
  }

  /** Takes and sends the next batch, unless one is on its way: batches go one at a time, so every series goes in order. */
  private void sendBatch() {
    if (closed || sending) {
      return;
    }
    sending = true;
    queue.take(MAX_FRAMES_PER_BATCH).onComplete(taken -> {
      if (taken.failed()) {
        sending = false;
        log.warning("remote write to " + target.name() + ": cannot read its queue: " + taken.cause().getMessage());
        batchTimer = vertx.setTimer(target.maxBackoffMillis(), id -> {
          batchTimer = -1;
          sendBatch();
        });
        return;
      }
      List<Outbox.Taken> frames = taken.result();
      if (frames.isEmpty()) {
        sending = false;
        return;
      }
      // decoding and encoding a batch take milliseconds: on a worker, so trans's event loop goes on relaying meanwhile;
      // one batch at a time, so the series memory is only ever touched by one thread at once
      List<Buffer> payloads = frames.stream().map(Outbox.Taken::payload).toList();
      context.executeBlocking(() -> SeriesBatch.of(payloads, target, known)).onComplete(built -> {
        if (built.failed()) {
          // a frame the savers took but no request can carry: never sent, the queue goes on
          log.log(Level.WARNING, "remote write to " + target.name() + ": cannot turn " + frames.size() + " frames into requests",
            built.cause());
          meters.dropped("invalid_frame", frames.size());
          queue.acknowledge(frames.size());
          // what the failed batch left half-marked is forgotten: it costs only the guard against resending
          known.clear();
          sending = false;
          batchSoon();
          return;
        }
        sendRequests(frames, built.result());
      });
    });
  }

  /** Sends a batch's requests, each shard's in turn; acknowledges its frames once all are settled, then takes the next batch. */
  private void sendRequests(List<Outbox.Taken> frames, SeriesBatch batch) {
    batch.skipped().forEach(meters::dropped);
    List<Future<Void>> shards = new ArrayList<>();
    for (List<SeriesBatch.Request> requests : batch.shards()) {
      shards.add(sendInTurn(requests, 0));
    }
    Future.all(shards).onComplete(sent -> {
      sending = false;
      if (sent.failed()) {
        return; // stopped: close() rewinds the queue
      }
      queue.acknowledge(frames.size());
      if (queue.hasWaiting()) {
        sendBatch();
      }
    });
  }

  private Future<Void> sendInTurn(List<SeriesBatch.Request> requests, int index) {
    if (index == requests.size()) {
      return Future.succeededFuture();
    }
    SeriesBatch.Request request = requests.get(index);
    Buffer body;
    try {
      body = Buffer.buffer(Snappy.compress(request.body()));
    } catch (IOException | RuntimeException e) {
      // never seen: snappy compresses any bytes; counted rather than stalling the queue
      meters.dropped("encode_error", request.samples());
      log.warning("remote write to " + target.name() + ": cannot compress a request: " + e);
      return sendInTurn(requests, index + 1);
    }
    return send(request, body, target.minBackoffMillis()).compose(v -> sendInTurn(requests, index + 1));
  }

  /** Sends until the request is taken or refused for good; fails only when the sender is stopped. */
  private Future<Void> send(SeriesBatch.Request request, Buffer body, long backoffMillis) {
    if (closed) {
      return Future.failedFuture("stopped");
    }
    return post(body).transform(answer -> {
      String retryReason;
      if (answer.succeeded()) {
        int status = answer.result().status();
        if (status / 100 == 2) {
          delivered(request);
          return Future.succeededFuture();
        }
        if (status != 429 && status / 100 != 5) {
          meters.dropped("http_" + status, request.samples());
          log.warning("remote write to " + target.name() + ": " + request.samples() + " samples refused for good (" + status + "): "
            + answer.result().text().strip());
          return Future.succeededFuture();
        }
        retryReason = "http_" + status;
      } else {
        retryReason = "network";
      }
      meters.failed(retryReason);
      if (failuresInARow++ == 0) {
        log.warning("remote write to " + target.name() + " failed (" + (answer.succeeded() ? retryReason : answer.cause().getMessage())
          + "): retrying with back-off, its queue holds what comes meanwhile");
      } else {
        log.log(Level.FINE, () -> "remote write to " + target.name() + " failed again: " + retryReason);
      }
      Promise<Void> retried = Promise.promise();
      vertx.setTimer(backoffMillis, id -> send(request, body, Math.min(target.maxBackoffMillis(), backoffMillis * 2)).onComplete(retried));
      return retried.future();
    });
  }

  private void delivered(SeriesBatch.Request request) {
    meters.sent(request.samples());
    newestSentMillis = Math.max(newestSentMillis, request.newestMillis());
    if (failuresInARow > 0) {
      log.info("remote write to " + target.name() + " answers again after " + failuresInARow + " failed attempts");
      failuresInARow = 0;
    }
  }

  private record Answer(int status, String text) {
  }

  private Future<Answer> post(Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(target.url().toString())
      .setIdleTimeout(target.timeoutMillis())
      .putHeader("Content-Encoding", "snappy").putHeader("Content-Type", "application/x-protobuf")
      .putHeader("X-Prometheus-Remote-Write-Version", "0.1.0").putHeader("User-Agent", "nbnet-forward");
    target.authorization().ifPresent(value -> options.putHeader("Authorization", value));
    return client.request(options).compose(request -> {
      // a target that trickles its answer is cut off too: the idle timeout alone would wait for it forever
      long deadline = vertx.setTimer(target.timeoutMillis(), id -> request.reset());
      return request.send(body).compose(this::read).onComplete(done -> vertx.cancelTimer(deadline));
    });
  }

  private Future<Answer> read(HttpClientResponse response) {
    Promise<Answer> answer = Promise.promise();
    Buffer text = Buffer.buffer();
    response.handler(chunk -> {
      if (text.length() < MAX_ANSWER_BYTES) {
        text.appendBuffer(chunk, 0, Math.min(chunk.length(), MAX_ANSWER_BYTES - text.length()));
      }
    });
    response.exceptionHandler(answer::tryFail);
    response.endHandler(v -> answer.tryComplete(new Answer(response.statusCode(), text.toString(StandardCharsets.UTF_8))));
    return answer.future();
  }

  private double lagSeconds() {
    boolean behind = queue.undelivered() > 0;
    long newest = newestSentMillis;
    return behind && newest > 0 ? Math.max(0, System.currentTimeMillis() - newest) / 1000.0 : 0;
  }
}
