package io.nbnet.forward;

import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.remotewrite.proto.RemoteWriteProto.TimeSeries;
import io.nbnet.remotewrite.proto.RemoteWriteProto.WriteRequest;
import io.nbnet.support.config.ConfigView;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A sender with a spool against a receiver that answers slowly and, now and then, 503: frames offered
 * all the while arrive every sample once, each series in time order (batches one at a time, a series always in one
 * shard), retried ones included.
 */
@ExtendWith(VertxExtension.class)
class TargetSenderTest {

  private static final int FRAMES = 2_000;
  private static final int FRAMES_PER_TICK = 4;
  private static final int HOSTS = 3;
  private static final int SERIES = 5;

  @TempDir
  Path folder;

  @Test
  @DisplayName("frames offered while requests are in flight and some fail: every sample arrives once, every series in time order")
  void everySampleOnceInOrder(Vertx vertx) throws Exception {
    Map<String, Long> newest = new ConcurrentHashMap<>();
    Map<String, Integer> received = new ConcurrentHashMap<>();
    List<String> outOfOrder = new CopyOnWriteArrayList<>();
    AtomicInteger requests = new AtomicInteger();
    HttpServer receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      if (requests.incrementAndGet() % 7 == 0) {
        request.response().setStatusCode(503).end("busy");
        return;
      }
      try {
        for (TimeSeries series : WriteRequest.parseFrom(Snappy.uncompress(body.getBytes())).getTimeseriesList()) {
          String name = series.getLabelsList().toString();
          series.getSamplesList().forEach(sample -> {
            Long before = newest.put(name, sample.getTimestamp());
            if (before != null && before >= sample.getTimestamp()) {
              outOfOrder.add(name + " " + sample.getTimestamp() + " after " + before);
            }
            received.merge(name + " " + sample.getTimestamp(), 1, Integer::sum);
          });
        }
      } catch (Exception e) {
        request.response().setStatusCode(400).end(e.toString());
        return;
      }
      // answered a little later: requests stay in flight while frames keep coming
      vertx.setTimer(1, id -> request.response().setStatusCode(204).end());
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    RemoteWriteTarget target = RemoteWriteTarget.from(ConfigView.of(new JsonObject().put("name", "sender-test")
      .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/api/v1/write").put("batchDelayMs", 1).put("shards", 3)
      .put("maxSamplesPerSend", 4).put("minBackoffMs", 1).put("maxBackoffMs", 5)
      .put("queue", new JsonObject().put("spool", new JsonObject().put("dir", folder.resolve("spool").toString()))), "target"));
    TargetSender sender = TargetSender.open(vertx, target).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    AtomicInteger offered = new AtomicInteger();
    vertx.setPeriodic(1, id -> {
      for (int i = 0; i < FRAMES_PER_TICK; i++) {
        int frame = offered.getAndIncrement();
        if (frame >= FRAMES) {
          vertx.cancelTimer(id);
          return;
        }
        List<Sample> samples = new ArrayList<>();
        for (int s = 0; s < SERIES; s++) {
          samples.add(Sample.numeric("host-" + frame % HOSTS, 1_000_000L + frame, "metric." + s, "", frame));
        }
        sender.offer(NativeFormat.encode("test", frame, samples));
      }
    });
    await().atMost(60, TimeUnit.SECONDS).until(() -> received.size() == FRAMES * SERIES);
    assertEquals(List.of(), outOfOrder);
    Map<Integer, Integer> copies = new HashMap<>();
    received.values().forEach(count -> copies.merge(count, 1, Integer::sum));
    assertEquals(Map.of(1, FRAMES * SERIES), copies, "samples by the number of times they arrived");
    sender.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
