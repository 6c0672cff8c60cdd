package io.nbnet.bench.storage;

import io.nbnet.remotewrite.proto.RemoteWriteProto;
import io.nbnet.store.MySqlConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.xerial.snappy.Snappy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./nbnet bench-forward}: the fleet (the real collector's series, {@link MovingFleet}) through
 * trans to a saver, then again with trans also handing every sample on by remote write to a receiver
 * in this process that decodes each request and answers 204. The same samples, each path on a fresh
 * database, saver and trans; CPU seconds per million samples of trans (and the rest) on each, and what
 * forwarding adds to trans beside what relaying costs it.
 */
@Command(name = "bench-forward", mixinStandardHelpOptions = true,
  description = "trans relaying to a saver, then relaying and forwarding by remote write: samples/s and trans's CPU per million samples")
public final class ForwardBenchCommand implements Callable<Integer> {

  @Option(names = "--hosts", defaultValue = "300", description = "hosts of the fleet (default: ${DEFAULT-VALUE})")
  int hosts;

  @Option(names = "--intervals", defaultValue = "30", description = "measured intervals of every host (default: ${DEFAULT-VALUE})")
  int intervals;

  @Option(names = "--warm-up-intervals", defaultValue = "10", description = "intervals sent before the clock starts (default: ${DEFAULT-VALUE})")
  int warmUpIntervals;

  @Option(names = "--interval-ms", defaultValue = "10000", description = "the collectors' interval (default: ${DEFAULT-VALUE})")
  long intervalMillis;

  @Option(names = "--connections", defaultValue = "8", description = "connections to trans (default: ${DEFAULT-VALUE})")
  int connections;

  @Option(names = "--in-flight", defaultValue = "4", description = "frames in flight per connection (default: ${DEFAULT-VALUE})")
  int inFlight;

  @Option(names = "--spool", description = "give the target a spool (every frame written to disk before trans answers)")
  boolean spool;

  @Option(names = "--jar", defaultValue = "launcher/target/nbnet.jar")
  Path jar;

  @Option(names = "--saver-heap", defaultValue = "1g", description = "the saver's -Xmx (default: ${DEFAULT-VALUE})")
  String saverHeap;

  @Mixin
  BenchMySqlOptions mysqlOptions;

  private final AtomicLong received = new AtomicLong();

  public static void main(String[] args) {
    System.exit(new CommandLine(new ForwardBenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    MySqlConfig mysql = mysqlOptions.database("nbnet_bench_forward");
    Vertx vertx = Vertx.vertx();
    try (TempFolder folder = TempFolder.create("nbnet-bench-forward")) {
      long start = (System.currentTimeMillis() / intervalMillis - warmUpIntervals - intervals) * intervalMillis;
      FleetTemplate template = FleetTemplate.record(1);
      long samples = (long) intervals * hosts * template.series().size();
      System.out.printf("data: %d series per host (the collector's), %d hosts x %d intervals (%d more to warm up): %,d samples measured%n",
        template.series().size(), hosts, intervals, warmUpIntervals, samples);
      HttpServer receiver = receiver(vertx);
      String url = "http://127.0.0.1:" + receiver.actualPort() + "/api/v1/write";
      // a fleet moves forward only: each path gets its own, with the same samples
      Map<String, Double> relaying = run(vertx, mysql, folder.path(), new MovingFleet(template, hosts, start, intervalMillis),
        "relay to the saver", null);
      Map<String, Double> forwarding = run(vertx, mysql, folder.path(), new MovingFleet(template, hosts, start, intervalMillis),
        "relay and remote write" + (spool ? " (spooled)" : ""), url);
      double relayCost = relaying.get("trans") * 1e6 / samples;
      double forwardCost = (forwarding.get("trans") - relaying.get("trans")) * 1e6 / samples;
      System.out.printf("trans: relaying costs %.2f CPU s per million samples, forwarding adds %.2f: %.2fx of relaying (goal: at most 1x)%n",
        relayCost, forwardCost, forwardCost / relayCost);
      receiver.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    return 0;
  }

  /** A remote write receiver that decodes every request and counts its samples: what trans must do is not skimped on. */
  private HttpServer receiver(Vertx vertx) throws Exception {
    return vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      try {
        RemoteWriteProto.WriteRequest write = RemoteWriteProto.WriteRequest.parseFrom(Snappy.uncompress(body.getBytes()));
        received.addAndGet(write.getTimeseriesList().stream().mapToLong(RemoteWriteProto.TimeSeries::getSamplesCount).sum());
        request.response().setStatusCode(204).end();
      } catch (Exception e) {
        request.response().setStatusCode(400).end(e.toString());
      }
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
  }

  /** One path on a fresh database, saver and trans: CPU seconds by process over the measured intervals. */
  private Map<String, Double> run(Vertx vertx, MySqlConfig mysql, Path folder, MovingFleet fleet, String name, String url) throws Exception {
    BenchDatabase.recreate(vertx, mysql);
    received.set(0);
    JsonObject trans = new JsonObject().put("host", "127.0.0.1").put("port", 0);
    String prefix = url == null ? "relay" : "forward";
    try (ServerProcess saver = ServerProcess.start(jar, new JsonObject().put("components", new JsonArray().add("saver"))
      .put("monitor", new JsonObject().put("host", "127.0.0.1").put("port", 0)).put("saver", new JsonObject().put("host", "127.0.0.1")
        .put("port", 0).put("mysql", BenchDatabase.json(mysql)).put("http", new JsonObject().put("enabled", false))), saverHeap, folder,
      prefix + "-saver")) {
      trans.put("savers", new JsonArray().add("127.0.0.1:" + saver.port()));
      if (url != null) {
        JsonObject target = new JsonObject().put("name", "bench").put("url", url);
        if (spool) {
          target.put("queue", new JsonObject().put("spool", new JsonObject().put("dir", folder.resolve("forward-spool").toString())));
        }
        trans.put("remoteWrite", new JsonObject().put("targets", new JsonArray().add(target)));
      }
      try (ServerProcess relay = ServerProcess.start(jar, new JsonObject().put("components", new JsonArray().add("trans")).put("trans", trans),
        "512m", folder, prefix + "-trans")) {
        long perInterval = (long) fleet.hosts() * fleet.seriesPerHost();
        PipelineRun.send(vertx, fleet, 0, warmUpIntervals, connections, inFlight, relay.port(), new RateTimeline());
        awaitAll(saver, url, warmUpIntervals * perInterval, folder);
        CpuClock cpu = new CpuClock().watch("trans", relay.pid()).watch("saver", saver.pid()).watch("bench", ProcessHandle.current().pid())
          .watchDatabaseServer().start();
        long began = System.nanoTime();
        PipelineRun.send(vertx, fleet, warmUpIntervals, warmUpIntervals + intervals, connections, inFlight, relay.port(), new RateTimeline());
        awaitAll(saver, url, (warmUpIntervals + intervals) * perInterval, folder);
        double seconds = (System.nanoTime() - began) / 1e9;
        String line = cpu.stop();
        long samples = intervals * perInterval;
        StringBuilder perMillion = new StringBuilder();
        cpu.seconds().forEach((process, used) -> perMillion.append(String.format(" %s %.2f", process, used * 1e6 / samples)));
        System.out.printf("%s: %,d samples in %.1f s = %,.0f samples/s (stored%s); CPU s per million samples:%s%n  %s%n", name, samples,
          seconds, samples / seconds, url == null ? "" : " and received", perMillion, line);
        return cpu.seconds();
      }
    }
  }

  /** Until the saver stored {@code samples} rows and, when forwarding, the receiver took as many. */
  private void awaitAll(ServerProcess saver, String url, long samples, Path folder) throws Exception {
    KafkaRun.awaitStored(List.of(saver), samples, folder);
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (url != null && received.get() < samples) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the receiver took " + received.get() + " of " + samples + " samples in 10 minutes; logs in " + folder);
      }
      Thread.sleep(50);
    }
  }
}
