package io.nbnet.bench.storage;

import io.nbnet.store.MySqlConfig;
import io.nbnet.wire.FrameClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleet through the real thing: a saver (and a trans in front of it) started from the production
 * jar as processes of their own, the simulated fleet sending over TCP from this one.
 */
final class PipelineRun {

  /** What a run measured. */
  record Result(RateTimeline timeline, long refused, long saverHeapPeakMegabytes, String cpu, String readers) {
  }

  private final Vertx vertx;
  private final MySqlConfig mysql;
  private final MovingFleet fleet;
  private final long intervals;
  private final int connections;
  private final int inFlight;
  private final boolean viaTrans;
  private final Path jar;
  private final String saverHeap;
  private final JsonObject saverSection;
  private final int readers;
  private final boolean promql;

  /**
   * @param readers API readers hammering the saver meanwhile (0: none)
   * @param promql  whether they read as Grafana does, PromQL panels, instead of the dashboard's JSON API
   */
  PipelineRun(Vertx vertx, MySqlConfig mysql, MovingFleet fleet, long intervals, int connections, int inFlight, boolean viaTrans,
              Path jar, String saverHeap, JsonObject saverSection, int readers, boolean promql) {
    this.readers = readers;
    this.promql = promql;
    this.vertx = vertx;
    this.mysql = mysql;
    this.fleet = fleet;
    this.intervals = intervals;
    this.connections = connections;
    this.inFlight = inFlight;
    this.viaTrans = viaTrans;
    this.jar = jar;
    this.saverHeap = saverHeap;
    this.saverSection = saverSection;
  }

  /** Runs the fleet; the saver stays up until {@code afterIngest} is done (compaction catching up, sizes read). */
  Result run(Path folder, AfterIngest afterIngest) throws Exception {
    BenchDatabase.recreate(vertx, mysql);
    JsonObject saverConfig = new JsonObject().put("components", new JsonArray().add("saver")).put("saver", saverSection.copy()
      .put("host", "127.0.0.1").put("port", 0).put("http", new JsonObject().put("port", 0))
      .put("mysql", BenchDatabase.json(mysql)));
    try (ServerProcess saver = ServerProcess.start(jar, saverConfig, saverHeap, folder, "saver")) {
      ServerProcess trans = null;
      int target = saver.port();
      if (viaTrans) {
        trans = ServerProcess.start(jar, new JsonObject().put("components", new JsonArray().add("trans")).put("trans", new JsonObject()
          .put("host", "127.0.0.1").put("port", 0).put("savers", new JsonArray().add("127.0.0.1:" + saver.port()))), "512m", folder, "trans");
        target = trans.port();
      }
      try {
        CpuClock cpu = new CpuClock().watch("bench", ProcessHandle.current().pid()).watch("saver", saver.pid());
        if (trans != null) {
          cpu.watch("trans", trans.pid());
        }
        cpu.watchDatabaseServer().start();
        ApiReaders api = readers > 0 ? new ApiReaders(vertx, fleet, saver.apiPort(), readers, promql) : null;
        RateTimeline timeline = new RateTimeline();
        if (api != null) {
          api.start();
        }
        long refused = send(vertx, fleet, intervals, connections, inFlight, target, timeline);
        timeline.end();
        String readersLine = api == null ? "" : BenchDatabase.await(api.stop(), 60);
        String cpuLine = cpu.stop();
        afterIngest.run();
        return new Result(timeline, refused, saver.heapPeakMegabytes(), cpuLine, readersLine);
      } finally {
        if (trans != null) {
          trans.close();
        }
      }
    }
  }

  /** What to do while the saver still runs, once every frame is acknowledged. */
  @FunctionalInterface
  interface AfterIngest {
    void run() throws Exception;
  }

  /** Sends the whole fleet to {@code port} over {@code connections} connections; returns the frames refused and sent again. */
  static long send(Vertx vertx, MovingFleet fleet, long intervals, int connections, int inFlight, int port, RateTimeline timeline)
    throws Exception {
    return send(vertx, fleet, 0, intervals, connections, inFlight, port, timeline);
  }

  /** Sends intervals {@code firstInterval} to before {@code endInterval} of every host; returns the frames refused (and sent again). */
  static long send(Vertx vertx, MovingFleet fleet, long firstInterval, long endInterval, int connections, int inFlight, int port,
                   RateTimeline timeline) throws Exception {
    NetClient netClient = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    List<FleetSender> senders = new ArrayList<>();
    List<Future<Void>> runs = new ArrayList<>();
    int perConnection = (fleet.hosts() + connections - 1) / connections;
    for (int c = 0; c < connections; c++) {
      int first = c * perConnection;
      int count = Math.min(perConnection, fleet.hosts() - first);
      if (count <= 0) {
        break;
      }
      Promise<Void> run = Promise.promise();
      runs.add(run.future());
      // each sender lives on one event loop, where its client's callbacks run too
      vertx.getOrCreateContext().runOnContext(v -> FrameClient.connect(vertx, netClient, "127.0.0.1", port, 1 << 20, 600_000)
        .compose(client -> {
          FleetSender sender = new FleetSender(client, fleet, first, count, firstInterval, endInterval, inFlight, timeline);
          synchronized (senders) {
            senders.add(sender);
          }
          return sender.run();
        })
        .onComplete(run));
    }
    BenchDatabase.await(Future.all(runs), 24 * 3600);
    return senders.stream().mapToLong(FleetSender::refused).sum();
  }
}
