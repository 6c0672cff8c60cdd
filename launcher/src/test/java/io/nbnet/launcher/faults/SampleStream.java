package io.nbnet.launcher.faults;

import io.nbnet.buffer.FrameBuffer;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nbnet.collector.ship.FrameShipper;
import io.nbnet.collector.ship.ShipperOptions;
import io.nbnet.wire.FrameClient;
import io.nbnet.wire.FrameLink;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.formats.Sample;
import io.nbnet.formats.Tags;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a fault test sends: {@code frames} native frames of {@code samplesPerFrame} samples of one
 * host, each sample unique, shipped one every {@code pauseMillis} through the collector's own
 * {@link FrameShipper} (keep until OK, reconnect, resend).
 */
final class SampleStream {

  private final Vertx vertx;
  private final String host;
  private final int frames;
  private final int samplesPerFrame;
  private final Context context;
  private FrameShipper shipper;

  SampleStream(Vertx vertx, String host, int frames, int samplesPerFrame) {
    this.vertx = vertx;
    this.host = host;
    this.frames = frames;
    this.samplesPerFrame = samplesPerFrame;
    this.context = vertx.getOrCreateContext();
  }

  int samples() {
    return frames * samplesPerFrame;
  }

  /** Starts shipping to {@code port}; returns at once. */
  void start(int port, long pauseMillis) {
    start(FrameClient.connector(vertx, vertx.createNetClient(), "127.0.0.1", port, 1 << 20, 5_000), pauseMillis);
  }

  /** Starts shipping over the links {@code connector} opens; returns at once. */
  void start(FrameLink.Connector connector, long pauseMillis) {
    context.runOnContext(v -> {
      shipper = new FrameShipper(vertx, connector, new ShipperOptions(100_000, 8, 5_000, 100, 1_000, 1 << 20),
        FrameBuffer.inMemory(vertx, "fault-test", 100_000));
      shipper.start();
      for (int frame = 0; frame < frames; frame++) {
        int index = frame;
        vertx.setTimer(1 + frame * pauseMillis, id -> shipper.ship(NativeFormat.encode("fault-test", index, frame(index))));
      }
    });
  }

  long acknowledged() throws Exception {
    CompletableFuture<Long> count = new CompletableFuture<>();
    context.runOnContext(v -> count.complete(shipper == null ? 0 : shipper.stats().acknowledged()));
    return count.get(10, TimeUnit.SECONDS);
  }

  /** Times the link to the next hop was dropped and opened again (after an {@code ERR unavailable}, too). */
  long retries() throws Exception {
    CompletableFuture<Long> count = new CompletableFuture<>();
    context.runOnContext(v -> count.complete(shipper == null ? 0 : shipper.stats().retries()));
    return count.get(10, TimeUnit.SECONDS);
  }

  void awaitAllAcknowledged(long seconds) {
    await().atMost(seconds, TimeUnit.SECONDS).untilAsserted(() -> assertEquals(frames, acknowledged(), "frames acknowledged"));
  }

  void stop() {
    context.runOnContext(v -> shipper.stop());
  }

  private List<Sample> frame(int index) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < samplesPerFrame; i++) {
      samples.add(Sample.numeric(host, 1_700_000_000_000L + index, "fault.metric_" + i, Tags.NONE, index * 1000 + i));
    }
    return samples;
  }
}
