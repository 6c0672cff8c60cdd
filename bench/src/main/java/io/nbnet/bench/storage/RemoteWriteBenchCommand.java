package io.nbnet.bench.storage;

import com.google.protobuf.ByteString;
import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.remotewrite.proto.RemoteWriteProto;
import io.nbnet.store.MySqlConfig;
import io.nbnet.wire.FrameClient;
import io.nbnet.wire.Replies;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.xerial.snappy.Snappy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prometheus remote write into a saver beside NB1 frames of the same samples, in one run: a fleet of
 * node_exporters (the real one's series on this machine, {@link NodeExporterFleet}) for a number of
 * intervals, cut into requests of {@code --samples-per-request} samples, sent by {@code --senders}
 * senders one request at a time each (as Prometheus's shards send). Each path gets a fresh database
 * and saver; both bodies are built before anything is timed, so the client only sends. Prints samples/s
 * and CPU seconds per million samples of the saver, the database and the client for each path.
 */
@Command(name = "bench-remote-write", mixinStandardHelpOptions = true,
  description = "Prometheus remote write against NB1 frames of the same samples: samples/s and CPU per million samples")
public final class RemoteWriteBenchCommand implements Callable<Integer> {

  @Option(names = "--hosts", defaultValue = "100", description = "node_exporters of the fleet (default: ${DEFAULT-VALUE})")
  int hosts;

  @Option(names = "--intervals", defaultValue = "60", description = "scrape intervals of every host (default: ${DEFAULT-VALUE})")
  int intervals;

  @Option(names = "--interval-ms", defaultValue = "15000", description = "the scrape interval (default: ${DEFAULT-VALUE})")
  long intervalMillis;

  @Option(names = "--samples-per-request", defaultValue = "2000", description = "samples per request or frame (default: ${DEFAULT-VALUE})")
  int samplesPerRequest;

  @Option(names = "--senders", defaultValue = "8", description = "senders, one request in flight each (default: ${DEFAULT-VALUE})")
  int senders;

  @Option(names = "--node-exporter", defaultValue = "/usr/bin/prometheus-node-exporter")
  Path nodeExporter;

  @Option(names = "--jar", defaultValue = "launcher/target/nbnet.jar")
  Path jar;

  @Option(names = "--saver-heap", defaultValue = "1g", description = "the saver's -Xmx (default: ${DEFAULT-VALUE})")
  String saverHeap;

  @Mixin
  BenchMySqlOptions mysqlOptions;

  public static void main(String[] args) {
    System.exit(new CommandLine(new RemoteWriteBenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    NodeExporterFleet fleet = NodeExporterFleet.record(nodeExporter, hosts);
    long end = System.currentTimeMillis() / intervalMillis * intervalMillis;
    long start = end - (intervals - 1) * intervalMillis;
    List<byte[]> writeRequests = new ArrayList<>();
    List<Buffer> frames = new ArrayList<>();
    long samples = build(fleet, start, writeRequests, frames);
    System.out.printf("data: %d series per host (node_exporter on this machine), %d hosts x %d intervals: %,d samples in %d requests of"
      + " %d; remote write %,d bytes (snappy), NB1 %,d bytes%n", fleet.seriesPerHost(), hosts, intervals, samples, writeRequests.size(),
      samplesPerRequest, writeRequests.stream().mapToLong(b -> b.length).sum(), frames.stream().mapToLong(Buffer::length).sum());
    MySqlConfig mysql = mysqlOptions.database("nbnet_bench_remote_write");
    Vertx vertx = Vertx.vertx();
    try (TempFolder folder = TempFolder.create("nbnet-bench-remote-write")) {
      double nb1 = run(vertx, mysql, folder.path(), "NB1 frames", samples, saver -> sendFrames(vertx, saver.port(), frames));
      double remote = run(vertx, mysql, folder.path(), "remote write", samples, saver -> sendRequests(saver.apiPort(), writeRequests));
      System.out.printf("remote write: %.0f%% of the NB1 path's rate, same samples, same run%n", 100 * remote / nb1);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    return 0;
  }

  /** Every host's samples interval by interval, cut into requests and frames holding the same samples. */
  private long build(NodeExporterFleet fleet, long start, List<byte[]> writeRequests, List<Buffer> frames) throws Exception {
    long samples = 0;
    RemoteWriteProto.WriteRequest.Builder request = RemoteWriteProto.WriteRequest.newBuilder();
    List<Sample> frame = new ArrayList<>();
    int inRequest = 0;
    for (int host = 0; host < hosts; host++) {
      List<Map<String, String>> labels = fleet.labels(host);
      for (int s = 0; s < labels.size(); s++) {
        RemoteWriteProto.TimeSeries.Builder series = RemoteWriteProto.TimeSeries.newBuilder();
        labels.get(s).forEach((name, value) -> series.addLabels(RemoteWriteProto.Label.newBuilder().setName(ByteString.copyFromUtf8(name))
          .setValue(ByteString.copyFromUtf8(value))));
        for (int i = 0; i < intervals; i++) {
          long ts = start + i * intervalMillis;
          double value = fleet.value(host, s, i);
          series.addSamples(RemoteWriteProto.Sample.newBuilder().setValue(value).setTimestamp(ts));
          frame.add(fleet.sample(labels.get(s), ts, value));
          samples++;
          inRequest++;
        }
        request.addTimeseries(series);
        if (inRequest >= samplesPerRequest) {
          writeRequests.add(Snappy.compress(request.build().toByteArray()));
          frames.add(NativeFormat.encode("bench", frames.size(), frame));
          request = RemoteWriteProto.WriteRequest.newBuilder();
          frame = new ArrayList<>();
          inRequest = 0;
        }
      }
    }
    if (inRequest > 0) {
      writeRequests.add(Snappy.compress(request.build().toByteArray()));
      frames.add(NativeFormat.encode("bench", frames.size(), frame));
    }
    return samples;
  }

  private interface Sending {
    void send(ServerProcess saver) throws Exception;
  }

  /** One path on a fresh database and saver: its rate, printed with where the CPU went. */
  private double run(Vertx vertx, MySqlConfig mysql, Path folder, String name, long samples, Sending sending) throws Exception {
    BenchDatabase.recreate(vertx, mysql);
    JsonObject config = new JsonObject().put("components", new JsonArray().add("saver")).put("saver", new JsonObject()
      .put("host", "127.0.0.1").put("port", 0).put("mysql", BenchDatabase.json(mysql)).put("http", new JsonObject().put("port", 0)));
    try (ServerProcess saver = ServerProcess.start(jar, config, saverHeap, folder, "saver")) {
      saver.apiPort();
      CpuClock cpu = new CpuClock().watch("saver", saver.pid()).watchDatabaseServer().watch("client", ProcessHandle.current().pid()).start();
      long began = System.nanoTime();
      sending.send(saver);
      double seconds = (System.nanoTime() - began) / 1e9;
      String line = cpu.stop();
      double rate = samples / seconds;
      StringBuilder perMillion = new StringBuilder();
      cpu.seconds().forEach((process, used) -> perMillion.append(String.format(" %s %.2f", process, used * 1e6 / samples)));
      System.out.printf("%s: %,d samples in %.1f s = %,.0f samples/s; CPU s per million samples:%s%n  %s%n", name, samples, seconds, rate,
        perMillion, line);
      return rate;
    }
  }

  private void sendFrames(Vertx vertx, int port, List<Buffer> frames) throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<io.vertx.core.Future<Void>> lanes = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      FrameClient client = FrameClient.connect(vertx, vertx.createNetClient(), "127.0.0.1", port, 64 << 20, 120_000)
        .toCompletionStage().toCompletableFuture().get();
      lanes.add(sendNext(client, frames, next).eventually(client::close));
    }
    io.vertx.core.Future.all(lanes).toCompletionStage().toCompletableFuture().get(1, TimeUnit.HOURS);
  }

  /** The frames one sender takes from the shared list, one at a time, each sent again until it is OK. */
  private static io.vertx.core.Future<Void> sendNext(FrameClient client, List<Buffer> frames, AtomicInteger next) {
    int index = next.getAndIncrement();
    if (index >= frames.size()) {
      return io.vertx.core.Future.succeededFuture();
    }
    return sendUntilOk(client, frames.get(index)).compose(v -> sendNext(client, frames, next));
  }

  private static io.vertx.core.Future<Void> sendUntilOk(FrameClient client, Buffer frame) {
    return client.send(frame).compose(reply -> Replies.isOk(reply) ? io.vertx.core.Future.succeededFuture() : sendUntilOk(client, frame));
  }

  private void sendRequests(int apiPort, List<byte[]> requests) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + apiPort + "/api/v1/write");
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    try {
      List<Future<Void>> lanes = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        lanes.add(pool.submit(() -> {
          for (int index = next.getAndIncrement(); index < requests.size(); index = next.getAndIncrement()) {
            while (true) {
              HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).header("Content-Encoding", "snappy")
                .header("Content-Type", "application/x-protobuf").header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(requests.get(index))).build(), HttpResponse.BodyHandlers.ofString());
              if (answer.statusCode() == 204) {
                break;
              }
              if (answer.statusCode() != 503) {
                throw new IllegalStateException("remote write answered " + answer.statusCode() + ": " + answer.body());
              }
            }
          }
          return null;
        }));
      }
      for (Future<Void> lane : lanes) {
        lane.get(1, TimeUnit.HOURS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
