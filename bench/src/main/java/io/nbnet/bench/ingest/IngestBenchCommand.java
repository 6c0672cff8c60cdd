package io.nbnet.bench.ingest;

import io.nbnet.support.logging.OneLineLogging;
import io.nbnet.wire.FrameClient;
import io.nbnet.wire.Transports;
import io.nbnet.saver.mysql.MySqlConfig;
import io.nbnet.saver.mysql.MySqlPools;
import io.nbnet.saver.mysql.SqlQueries;
import io.nbnet.saver.samples.ShardRule;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.sqlclient.Pool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./nbnet bench-ingest}: how close the saver (and trans) come to what MariaDB itself takes.
 * First a plain multi-row INSERT loop of the same rows gives the ceiling; then a simulated fleet
 * sends native frames to a saver process (optionally through a trans process) as fast as
 * acknowledgements allow. Prints samples/s of both, their ratio, the rows found in MySQL and the
 * saver's heap peak.
 */
@Command(name = "bench-ingest", mixinStandardHelpOptions = true, sortOptions = false,
  description = "Ingest benchmark: the INSERT ceiling, then a simulated fleet through the saver (and trans).")
public final class IngestBenchCommand implements Callable<Integer> {

  private static final int SHARDS = 4;

  @Option(names = "--hosts", defaultValue = "1000", description = "simulated hosts (default: ${DEFAULT-VALUE})")
  int hosts;

  @Option(names = "--metrics", defaultValue = "20", description = "metrics per host and frame (default: ${DEFAULT-VALUE})")
  int metrics;

  @Option(names = "--duration", defaultValue = "20", description = "seconds the fleet sends (default: ${DEFAULT-VALUE})")
  int durationSeconds;

  @Option(names = "--ceiling-duration", description = "seconds of each INSERT loop (default: as --duration, so both fill tables alike)")
  Integer ceilingSeconds;

  @Option(names = "--connections", defaultValue = "32", description = "sender connections (default: ${DEFAULT-VALUE})")
  int connections;

  @Option(names = "--in-flight", defaultValue = "32", description = "frames in flight per connection (default: ${DEFAULT-VALUE})")
  int inFlight;

  @Option(names = "--via-trans", description = "send through a trans process in front of the saver")
  boolean viaTrans;

  @Option(names = "--mysql-host", defaultValue = "127.0.0.1")
  String mysqlHost;

  @Option(names = "--mysql-port", defaultValue = "3306")
  int mysqlPort;

  @Option(names = "--database", defaultValue = "nbnet_bench", description = "dropped and created anew (default: ${DEFAULT-VALUE})")
  String database;

  @Option(names = "--saver-heap", defaultValue = "512m", description = "-Xmx of the saver process (default: ${DEFAULT-VALUE})")
  String saverHeap;

  @Option(names = "--jar", defaultValue = "launcher/target/nbnet.jar")
  Path jar;

  @Option(names = "--saver-samples", defaultValue = "{}", description = "JSON merged into the saver's samples section, e.g. '{\"batchRows\": 4000}'")
  String saverSamples;

  public static void main(String[] args) {
    OneLineLogging.install();
    System.exit(new CommandLine(new IngestBenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (ceilingSeconds == null) {
      ceilingSeconds = durationSeconds;
    }
    Vertx vertx = Vertx.vertx(Transports.preferNative(new VertxOptions()));
    Path folder = Files.createTempDirectory("nbnet-bench-ingest");
    MySqlConfig mysql = new MySqlConfig(mysqlHost, mysqlPort, "root", System.getenv().getOrDefault(MySqlConfig.PASSWORD_ENV, ""),
      database, 4, 256);
    // samples of today, one second apart per round, like a live fleet's
    SyntheticFleet fleet = new SyntheticFleet(hosts, metrics, System.currentTimeMillis() / 1000 * 1000);
    try {
      recreateDatabase(vertx, mysql);
      Pool pool = MySqlPools.pool(vertx, mysql, true, 1);
      System.out.printf("bench-ingest: %d hosts x %d metrics, MariaDB at %s:%d, database %s%n", hosts, metrics, mysqlHost, mysqlPort, database);
      double ceilingBefore = measureCeiling(pool, fleet, "before");
      await(pool.close(), 10);

      int saverPort = freePort();
      ServerProcess saver = ServerProcess.start(jar, saverConfig(saverPort), saverHeap, folder, "saver", saverPort);
      try {
        return measurePipeline(vertx, mysql, fleet, folder, saver, saverPort, ceilingBefore);
      } finally {
        saver.close();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private int measurePipeline(Vertx vertx, MySqlConfig mysql, SyntheticFleet fleet, Path folder, ServerProcess saver,
                              int saverPort, double ceilingBefore) throws Exception {
    ServerProcess trans = null;
    int target = saverPort;
    if (viaTrans) {
      target = freePort();
      trans = ServerProcess.start(jar, transConfig(target, saverPort), "512m", folder, "trans", target);
    }
    AtomicLong acknowledged = new AtomicLong();
    List<FleetSender> senders = new ArrayList<>();
    long start;
    try {
      NetClient netClient = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
      List<Future<Void>> runs = new ArrayList<>();
      int perConnection = Math.max(1, hosts / connections);
      start = System.nanoTime();
      long stopAt = start + TimeUnit.SECONDS.toNanos(durationSeconds);
      int port = target;
      for (int c = 0; c < connections && c * perConnection < hosts; c++) {
        int first = c * perConnection;
        int count = c == connections - 1 ? hosts - first : perConnection;
        String source = "bench-" + c;
        Promise<Void> run = Promise.promise();
        runs.add(run.future());
        // each sender lives on one event loop, where its client's callbacks run too
        vertx.getOrCreateContext().runOnContext(v -> FrameClient.connect(vertx, netClient, "127.0.0.1", port, 1 << 20, 120_000)
          .compose(client -> {
            FleetSender sender = new FleetSender(client, fleet, first, count, inFlight, acknowledged, source);
            synchronized (senders) {
              senders.add(sender);
            }
            return sender.run(stopAt);
          })
          .onComplete(run));
      }
      await(Future.all(runs), durationSeconds + 180);
    } finally {
      if (trans != null) {
        trans.close();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long heapPeak = saver.heapPeakMegabytes();
    long refused = senders.stream().mapToLong(FleetSender::refused).sum();
    long stored = countStored(vertx, mysql);
    double rate = acknowledged.get() / seconds;
    // the machine's speed drifts: the ceiling is taken before and after, and their mean is the reference
    Pool ceilingPool = MySqlPools.pool(vertx, mysql, true, 1);
    double ceilingAfter = measureCeiling(ceilingPool, fleet, "after");
    await(ceilingPool.close(), 10);
    double ceiling = (ceilingBefore + ceilingAfter) / 2;
    System.out.printf("%s: %,d samples acknowledged in %.1f s = %,.0f samples/s, %.0f%% of the mean ceiling%n",
      viaTrans ? "through trans and saver" : "through the saver", acknowledged.get(), seconds, rate, 100 * rate / ceiling);
    System.out.printf("rows in MySQL: %,d (acknowledged %,d, frames refused %d)%s%n", stored, acknowledged.get(), refused,
      stored >= acknowledged.get() ? "" : "  MISSING ROWS");
    System.out.printf("saver heap peak: %s (-Xmx%s)%n", heapPeak < 0 ? "no GC ran" : heapPeak + " MB", saverHeap);
    return stored >= acknowledged.get() ? 0 : 1;
  }

  private double measureCeiling(Pool pool, SyntheticFleet fleet, String when) throws Exception {
    CeilingLoop loop = new CeilingLoop(pool, fleet, SHARDS);
    long rows = await(loop.run(ceilingSeconds * 1000L), ceilingSeconds + 60);
    double rate = rows / (double) ceilingSeconds;
    System.out.printf("ceiling %s: plain 500-row INSERT loop, one connection, same shard tables: %,d rows in %d s = %,.0f rows/s%n",
      when, rows, ceilingSeconds, rate);
    await(loop.dropTables(), 60);
    return rate;
  }

  private JsonObject saverConfig(int port) {
    return new JsonObject().put("components", new JsonArray().add("saver")).put("saver", new JsonObject()
      .put("host", "127.0.0.1").put("port", port)
      .put("mysql", new JsonObject().put("host", mysqlHost).put("port", mysqlPort).put("database", database))
      .put("samples", new JsonObject(saverSamples)));
  }

  private static JsonObject transConfig(int port, int saverPort) {
    return new JsonObject().put("components", new JsonArray().add("trans")).put("trans", new JsonObject()
      .put("host", "127.0.0.1").put("port", port).put("savers", new JsonArray().add("127.0.0.1:" + saverPort)));
  }

  private static void recreateDatabase(Vertx vertx, MySqlConfig mysql) throws Exception {
    Pool server = MySqlPools.pool(vertx, mysql, false, 1);
    await(server.query("DROP DATABASE IF EXISTS `" + mysql.database() + "`").execute(), 60);
    await(server.query(SqlQueries.createDatabase(mysql.database())).execute(), 60);
    await(server.close(), 10);
  }

  private static long countStored(Vertx vertx, MySqlConfig mysql) throws Exception {
    Pool pool = MySqlPools.pool(vertx, mysql, true, 1);
    try {
      ShardRule shards = new ShardRule("samples_", SHARDS, ShardRule.ShardBy.HOST_FAMILY);
      return await(pool.query("SELECT COUNT(*) FROM `" + shards.viewName() + "`").execute(), 120).iterator().next().getLong(0);
    } finally {
      await(pool.close(), 10);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static <T> T await(Future<T> future, long seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }
}
