package io.nbnet.launcher.faults;

import io.nbnet.buffer.Outbox;
import io.nbnet.collector.ship.FrameShipper;
import io.nbnet.collector.ship.ShipperConfig;
import io.nbnet.formats.Sample;
import io.nbnet.formats.Tags;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.wire.FrameClient;
import io.nbnet.wire.FrameLink;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a fault test sends: up to {@code frames} native frames of {@code samplesPerFrame} samples of one
 * host, each sample unique, shipped one every {@code pauseMillis} through the collector's own
 * {@link FrameShipper} (keep until OK, reconnect, resend). A test that has seen its fault and the
 * recovery ends the stream early with {@link #finishAfter}, so it does not wait out a fixed length.
 */
final class SampleStream {

  private final Vertx vertx;
  private final String host;
  private final int samplesPerFrame;
  /** The first frame's time; each next frame's is {@code stepMillis} later. */
  private final long firstMillis;
  private final long stepMillis;
  private final String metricPrefix;
  /** The frames this stream ships in all; lowered by {@link #finishAfter}. Read and written on {@code context}. */
  private int frames;
  private int shipped;
  private final Context context;
  private FrameShipper shipper;

  SampleStream(Vertx vertx, String host, int frames, int samplesPerFrame) {
    this(vertx, host, frames, samplesPerFrame, 1_700_000_000_000L, 1, "fault.metric_");
  }

  /** A stream whose samples are named {@code metricPrefix + i}, its frames stamped {@code stepMillis} apart from {@code firstMillis} on. */
  SampleStream(Vertx vertx, String host, int frames, int samplesPerFrame, long firstMillis, long stepMillis, String metricPrefix) {
    this.vertx = vertx;
    this.host = host;
    this.frames = frames;
    this.samplesPerFrame = samplesPerFrame;
    this.firstMillis = firstMillis;
    this.stepMillis = stepMillis;
    this.metricPrefix = metricPrefix;
    this.context = vertx.getOrCreateContext();
  }

  String host() {
    return host;
  }

  /** The samples this stream ships in all: final once {@link #finishAfter} returned. */
  int samples() throws Exception {
    return onContext(() -> (long) frames).intValue() * samplesPerFrame;
  }

  /** Ships {@code more} frames after those shipped so far, then stops (never more than the frames it was made with). */
  void finishAfter(int more) throws Exception {
    onContext(() -> {
      frames = Math.min(frames, shipped + more);
      return (long) frames;
    });
  }

  /** Starts shipping to {@code port}; returns at once. */
  void start(int port, long pauseMillis) {
    start(FrameClient.connector(vertx, vertx.createNetClient(), "127.0.0.1", port, 1 << 20, 5_000), pauseMillis);
  }

  /** Starts shipping over the links {@code connector} opens; returns at once. */
  void start(FrameLink.Connector connector, long pauseMillis) {
    context.runOnContext(v -> {
      shipper = new FrameShipper(vertx, connector, new ShipperConfig(100_000, 8, 5_000, 100, 1_000, 1 << 20),
        Outbox.inMemory(vertx, "fault-test", 100_000));
      shipper.start();
      vertx.setPeriodic(1, pauseMillis, id -> {
        if (shipped >= frames) {
          vertx.cancelTimer(id);
          return;
        }
        shipper.ship(NativeFormat.encode("fault-test", shipped, frame(shipped)));
        shipped++;
      });
    });
  }

  long acknowledged() throws Exception {
    return onContext(() -> shipper == null ? 0 : shipper.stats().acknowledged());
  }

  /** Times the link to the next hop was dropped and opened again (after an {@code ERR unavailable}, too). */
  long retries() throws Exception {
    return onContext(() -> shipper == null ? 0 : shipper.stats().retries());
  }

  void awaitAllAcknowledged(long seconds) {
    await().atMost(seconds, TimeUnit.SECONDS).untilAsserted(() -> assertEquals(onContext(() -> (long) frames), acknowledged(),
      host + ": frames acknowledged"));
  }

  /** Reads the stream's state on its own context, where it changes. */
  private Long onContext(Supplier<Long> read) throws Exception {
    CompletableFuture<Long> value = new CompletableFuture<>();
    context.runOnContext(v -> value.complete(read.get()));
    return value.get(10, TimeUnit.SECONDS);
  }

  void stop() {
    context.runOnContext(v -> shipper.stop());
  }

  private List<Sample> frame(int index) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < samplesPerFrame; i++) {
      samples.add(Sample.numeric(host, firstMillis + index * stepMillis, metricPrefix + i, Tags.NONE, index * 1000 + i));
    }
    return samples;
  }
}
