package io.nbnet.bench.storage;

import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.promql.Labels;
import io.nbnet.saver.promql.PromNames;
import io.nbnet.store.MySqlConfig;
import io.nbnet.wire.FrameClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bench's samples, sent to the saver as a fleet of collectors sends them (a frame per host and
 * interval) and written as OpenMetrics for {@code promtool}, with the labels nbnet gives them.
 */
final class PromqlBenchData {

  private static final int IN_FLIGHT = 256;

  private final Vertx vertx;
  private final MovingFleet day;
  private final MovingFleet fleet;
  private final Path openMetrics;

  /**
   * @param day   whose host 0 sends for the whole day
   * @param fleet whose other hosts send for the last stretch (its host 0 is the day's)
   */
  PromqlBenchData(Vertx vertx, MovingFleet day, MovingFleet fleet, Path openMetrics) {
    this.vertx = vertx;
    this.day = day;
    this.fleet = fleet;
    this.openMetrics = openMetrics;
  }

  Path openMetrics() {
    return openMetrics;
  }

  /** Host 0 of the day, the fleet's other hosts, each up to {@code end}; the samples sent. */
  long load(int saverPort, long end) throws Exception {
    FrameClient client = await(FrameClient.connect(vertx, vertx.createNetClient(), "127.0.0.1", saverPort, 64 << 20, 120_000));
    long samples = 0;
    List<Future<Buffer>> inFlight = new ArrayList<>();
    try (BufferedWriter out = Files.newBufferedWriter(openMetrics)) {
      samples += send(client, day, 0, 1, end, out, inFlight);
      samples += send(client, fleet, 1, fleet.hosts(), end, out, inFlight);
      drain(inFlight);
      out.write("# EOF\n");
    }
    client.close();
    return samples;
  }

  /** Hosts {@code [from, to)} of {@code hosts}, interval by interval, until {@code end}. */
  private static long send(FrameClient client, MovingFleet hosts, int from, int to, long end, BufferedWriter out,
                           List<Future<Buffer>> inFlight) throws Exception {
    long samples = 0;
    long lastInterval = hosts.intervalAt(0, end) - 1;
    for (long interval = 0; interval <= lastInterval; interval++) {
      for (int host = from; host < to; host++) {
        List<Sample> hostSamples = hosts.samples(host, interval);
        if (hostSamples.get(0).timestampMillis() >= end) {
          continue;
        }
        for (Sample sample : hostSamples) {
          write(out, sample);
        }
        samples += hostSamples.size();
        inFlight.add(client.send(NativeFormat.encode("collector@" + hosts.host(host), interval, hostSamples)));
        if (inFlight.size() == IN_FLIGHT) {
          drain(inFlight);
        }
      }
    }
    return samples;
  }

  private static void drain(List<Future<Buffer>> inFlight) throws Exception {
    for (Future<Buffer> reply : inFlight) {
      String answer = await(reply).toString();
      if (!answer.startsWith("OK")) {
        throw new IllegalStateException("the saver refused a frame: " + answer);
      }
    }
    inFlight.clear();
  }

  private static void write(BufferedWriter out, Sample sample) throws IOException {
    Labels labels = PromNames.labels(sample.host(), sample.metric(), sample.tags());
    out.write(labels.get(Labels.METRIC_NAME));
    out.write('{');
    boolean first = true;
    for (int i = 0; i < labels.size(); i++) {
      if (labels.name(i).equals(Labels.METRIC_NAME)) {
        continue;
      }
      out.write(first ? "" : ",");
      out.write(labels.name(i));
      out.write("=\"");
      out.write(labels.value(i).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"));
      out.write('"');
      first = false;
    }
    out.write("} ");
    out.write(Double.toString(sample.value()));
    out.write(' ');
    long ts = sample.timestampMillis();
    out.write(ts / 1000 + "." + String.format(java.util.Locale.ROOT, "%03d", ts % 1000));
    out.write('\n');
  }

  /** Waits until every window before the newest is compacted: the queries read blocks, as on a saver that has run a day. */
  void awaitCompacted(Vertx vertx, MySqlConfig mysql, long end) throws Exception {
    Pool pool = BenchDatabase.pool(vertx, mysql, true, 1);
    long began = System.nanoTime();
    try {
      while (System.nanoTime() - began < TimeUnit.MINUTES.toNanos(20)) {
        long staged = await(pool.query("SELECT COUNT(*) FROM `" + BenchDatabase.LAYOUT.recent() + "` WHERE `ts` < " + (end - 600_000))
          .execute()).iterator().next().getLong(0);
        long compacting = await(pool.query("SELECT COUNT(*) FROM `" + BenchDatabase.LAYOUT.compacting() + "`").execute()).iterator().next()
          .getLong(0);
        if (staged == 0 && compacting == 0) {
          System.out.printf("compacted in %.0f s%n", (System.nanoTime() - began) / 1e9);
          return;
        }
        Thread.sleep(2_000);
      }
      throw new IllegalStateException("the saver did not compact the loaded windows within 20 minutes");
    } finally {
      await(pool.close());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }
}
