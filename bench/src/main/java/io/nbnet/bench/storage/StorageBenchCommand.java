package io.nbnet.bench.storage;

import io.nbnet.store.CompactionConfig;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.RetentionConfig;
import io.nbnet.support.logging.OneLineLogging;
import io.nbnet.wire.Transports;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./nbnet bench-storage}: the real collector's output as the template of a fleet, replayed as
 * N hosts x M intervals with values that move like real ones; first the database's ceiling for
 * exactly those rows, then the fleet through trans and saver; the rate by quarter of each, the disk
 * per sample once compaction caught up, the saver's heap peak; optionally the query latency of the
 * views over 30 days of a smaller fleet.
 */
@Command(name = "bench-storage", mixinStandardHelpOptions = true,
  description = "Storage benchmark: ingest rate by quarter against the same-run ceiling, bytes per sample, heap, query latency.")
public final class StorageBenchCommand implements Callable<Integer> {

  @Option(names = "--hosts", defaultValue = "3000", description = "simulated hosts (default: ${DEFAULT-VALUE})")
  int hosts;

  @Option(names = "--intervals", defaultValue = "60", description = "intervals every host sends (default: ${DEFAULT-VALUE})")
  int intervals;

  @Option(names = "--interval-ms", defaultValue = "10000", description = "the collectors' interval (default: ${DEFAULT-VALUE})")
  long intervalMillis;

  @Option(names = "--devices", defaultValue = "3", description = "disks, interfaces and filesystems per host (default: ${DEFAULT-VALUE})")
  int devices;

  @Option(names = "--connections", defaultValue = "16", description = "sender (and ceiling) connections (default: ${DEFAULT-VALUE})")
  int connections;

  @Option(names = "--in-flight", defaultValue = "8", description = "frames in flight per sender connection (default: ${DEFAULT-VALUE})")
  int inFlight;

  @Option(names = "--no-trans", description = "send straight to the saver instead of through trans")
  boolean noTrans;

  @Option(names = "--readers", defaultValue = "0",
    description = "also run the pipeline again with this many readers hammering the saver's query API, and compare (default: ${DEFAULT-VALUE})")
  private int readers;

  @Option(names = "--promql", description = "the readers ask as Grafana does: the PromQL host panels over 1 h, POSTed query_range")
  private boolean promqlReaders;

  @Option(names = "--no-ceiling", description = "skip the ceiling")
  boolean noCeiling;

  @Option(names = "--no-pipeline", description = "skip the pipeline (and the disk use after it)")
  boolean noPipeline;

  @Option(names = "--queries", description = "also measure the views' query latency over a loaded month of a smaller fleet")
  boolean queries;

  @Option(names = "--query-hosts", defaultValue = "50", description = "hosts of the query data (default: ${DEFAULT-VALUE})")
  int queryHosts;

  @Option(names = "--query-days", defaultValue = "30", description = "days of rollups of the query data (default: ${DEFAULT-VALUE})")
  int queryDays;

  @Option(names = "--query-raw-days", defaultValue = "2", description = "days of raw blocks of the query data (default: ${DEFAULT-VALUE})")
  int queryRawDays;

  @Option(names = "--query-count", defaultValue = "200", description = "queries per kind (default: ${DEFAULT-VALUE})")
  int queryCount;

  @Option(names = "--query-reuse", description = "measure on the query data a run before loaded, when it is there")
  boolean queryReuse;

  @Mixin
  BenchMySqlOptions mysqlServer;

  @Option(names = "--database", defaultValue = "nbnet_bench", description = "prefix of the databases dropped and created anew (default: ${DEFAULT-VALUE})")
  String database;

  @Option(names = "--saver-heap", defaultValue = "512m", description = "-Xmx of the saver process (default: ${DEFAULT-VALUE})")
  String saverHeap;

  @Option(names = "--saver-json", defaultValue = "{}",
    description = "JSON merged into the saver's config section, e.g. '{\"samples\":{\"batchRows\":5000}}'")
  String saverJson;

  @Option(names = "--jar", defaultValue = "launcher/target/nbnet.jar")
  Path jar;

  private int seriesPerHost;

  public static void main(String[] args) {
    OneLineLogging.install();
    System.exit(new CommandLine(new StorageBenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx(Transports.preferNative(new VertxOptions()));
    try (TempFolder temp = TempFolder.create("nbnet-bench-storage")) {
      Path folder = temp.path();
      FleetTemplate template = FleetTemplate.record(devices);
      seriesPerHost = template.series().size();
      printTemplate(template);
      long start = (System.currentTimeMillis() - (intervals + 6L) * intervalMillis) / 300_000 * 300_000;
      CompactionConfig compaction = new CompactionConfig(60_000, 5_000, 2_000);
      RetentionConfig retention = new RetentionConfig(14, 90, 730, 3, 3_600_000);
      double[] ceiling = null;
      if (!noCeiling) {
        MySqlConfig mysql = mysql(database + "_ceiling");
        CeilingRun.Result result = new CeilingRun(vertx, mysql, new MovingFleet(template, hosts, start, intervalMillis), intervals, 4,
          compaction, retention).run();
        ceiling = result.timeline().quarters();
        printRun("ceiling: the same rows, 500-row INSERTs from 4 connections, the saver's compactor behind", result.timeline(), null);
        System.out.println("  " + result.cpu());
        drop(vertx, mysql);
      }
      if (!noPipeline) {
        MySqlConfig mysql = mysql(database + "_pipeline");
        JsonObject saver = new JsonObject()
          .put("compaction", new JsonObject().put("graceMs", compaction.graceMillis()).put("quietMs", compaction.quietMillis())
            .put("checkIntervalMs", compaction.checkMillis()))
          .put("retention", new JsonObject().put("rawDays", retention.rawDays()).put("fiveMinuteDays", retention.fiveMinuteDays())
            .put("hourDays", retention.hourDays()))
          .mergeIn(new JsonObject(saverJson), true);
        PipelineRun.Result result = new PipelineRun(vertx, mysql, new MovingFleet(template, hosts, start, intervalMillis), intervals,
          connections, inFlight, !noTrans, jar, saverHeap, saver, 0, false).run(folder, () -> reportStorage(vertx, mysql));
        printPipeline(noTrans ? "pipeline: the fleet through the saver" : "pipeline: the fleet through trans and saver", result, ceiling);
        if (readers > 0) {
          PipelineRun.Result read = new PipelineRun(vertx, mysql, new MovingFleet(template, hosts, start, intervalMillis), intervals,
            connections, inFlight, !noTrans, jar, saverHeap, saver, readers, promqlReaders).run(folder, () -> { });
          printPipeline("pipeline again, with " + readers + (promqlReaders ? " PromQL readers (Grafana's host panels, 1 h)" : " readers on the query API"),
            read, ceiling);
          System.out.println("  " + read.readers());
          double alone = result.timeline().total() / result.timeline().seconds();
          double withReaders = read.timeline().total() / read.timeline().seconds();
          System.out.printf("ingest with %d API readers: %,.0f samples/s = %.0f%% of ingest alone (%,.0f samples/s), same run%n", readers,
            withReaders, 100 * withReaders / alone, alone);
        }
      }
      if (queries) {
        new QueryRun(vertx, mysql(database + "_query"), template, queryHosts, queryDays, queryRawDays, queryCount,
          queryReuse).run(folder);
      }
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private MySqlConfig mysql(String name) {
    return mysqlServer.database(name);
  }

  private void printTemplate(FleetTemplate template) {
    Map<FleetTemplate.Kind, Integer> kinds = new EnumMap<>(FleetTemplate.Kind.class);
    template.series().forEach(series -> kinds.merge(series.kind(), 1, Integer::sum));
    System.out.printf("bench-storage: %d hosts x %d intervals of %d ms, %d series per host (this machine's collector, %d of each device"
      + " family): %,d samples; kinds %s%n", hosts, intervals, intervalMillis, template.series().size(), devices,
      (long) hosts * intervals * template.series().size(), kinds);
  }

  private void printPipeline(String what, PipelineRun.Result result, double[] ceiling) {
    printRun(what, result.timeline(), ceiling);
    System.out.println("  " + result.cpu());
    System.out.printf("frames refused and sent again: %d; saver heap peak: %s (-Xmx%s)%n", result.refused(),
      result.saverHeapPeakMegabytes() < 0 ? "no GC ran" : result.saverHeapPeakMegabytes() + " MB", saverHeap);
  }

  private static void printRun(String what, RateTimeline timeline, double[] ceiling) {
    double[] quarters = timeline.quarters();
    System.out.printf("%s: %,d samples in %.1f s = %,.0f samples/s%n", what, timeline.total(), timeline.seconds(),
      timeline.total() / timeline.seconds());
    StringBuilder line = new StringBuilder("  samples/s by quarter:");
    for (int q = 0; q < 4; q++) {
      line.append(String.format(" %,.0f", quarters[q]));
      if (ceiling != null && ceiling[q] > 0) {
        line.append(String.format(" (%.0f%% of the ceiling's)", 100 * quarters[q] / ceiling[q]));
      }
    }
    line.append(String.format("; last quarter %.0f%% of the first", 100 * quarters[3] / Math.max(1, quarters[0])));
    if (ceiling != null) {
      double ceilingMean = Arrays.stream(ceiling).average().orElse(1);
      line.append(String.format("; whole run %.0f%% of the ceiling", 100 * (timeline.total() / timeline.seconds()) / ceilingMean));
    }
    System.out.println(line);
  }

  /** Waits until compaction has caught up, then prints the disk each table takes per sample stored. */
  private void reportStorage(Vertx vertx, MySqlConfig mysql) throws Exception {
    Pool pool = BenchDatabase.pool(vertx, mysql, true, 1);
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
      while (count(pool, "SELECT COUNT(*) FROM samples_recent") + count(pool, "SELECT COUNT(*) FROM samples_compacting") > 0) {
        if (System.nanoTime() > deadline) {
          System.out.println("compaction did not catch up within 30 minutes");
          break;
        }
        Thread.sleep(2_000);
      }
      printDisk(pool, mysql, "once compaction caught up");
    } finally {
      BenchDatabase.await(pool.close(), 10);
    }
  }

  private void printDisk(Pool pool, MySqlConfig mysql, String when) throws Exception {
    for (String table : new String[] {"samples_recent", "samples_raw_times", "samples_raw", "samples_rollup_5m", "samples_rollup_1h", "samples_series",
      "samples_hosts"}) {
      BenchDatabase.await(pool.query("ANALYZE TABLE " + table).execute(), 600);
    }
    flushDirtyPages(pool);
    long samples = (long) hosts * intervals * seriesPerHost;
    Map<String, DiskUsage.Table> tables = DiskUsage.of(pool, mysql.database());
    long allocated = tables.values().stream().mapToLong(t -> Math.max(0, t.allocatedBytes())).sum();
    long innodb = tables.values().stream().mapToLong(DiskUsage.Table::innodbBytes).sum();
    System.out.printf("disk %s: %,d bytes allocated (%.1f bytes/sample), %,d by data_length + index_length (%.1f bytes/sample)%n",
      when, allocated, allocated / (double) samples, innodb, innodb / (double) samples);
    tables.values().stream().filter(t -> t.allocatedBytes() > 0 || t.innodbBytes() > 0).forEach(t ->
      System.out.printf("  %-22s %,15d allocated %8.2f B/sample   %,15d InnoDB%n", t.name(), t.allocatedBytes(),
        t.allocatedBytes() / (double) samples, t.innodbBytes()));
  }

  /**
   * Page compression happens when InnoDB writes a page out, and a file's blocks are punched then:
   * until the dirty pages are flushed, a file shows the size of the uncompressed pages it was grown
   * by. So every page is flushed before sizes are read (the saver's liveness updates keep a few dirty).
   */
  private static void flushDirtyPages(Pool pool) throws Exception {
    String before = BenchDatabase.await(pool.query("SELECT @@GLOBAL.innodb_max_dirty_pages_pct").execute(), 60).iterator().next()
      .getValue(0).toString();
    BenchDatabase.await(pool.query("SET GLOBAL innodb_max_dirty_pages_pct = 0").execute(), 60);
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (dirtyPages(pool) > 64 && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
    } finally {
      BenchDatabase.await(pool.query("SET GLOBAL innodb_max_dirty_pages_pct = " + Double.parseDouble(before)).execute(), 60);
    }
  }

  private static long dirtyPages(Pool pool) throws Exception {
    return BenchDatabase.await(pool.query("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'").execute(), 60).iterator().next()
      .getValue(1).toString().transform(Long::parseLong);
  }

  private static long count(Pool pool, String sql) throws Exception {
    return BenchDatabase.await(pool.query(sql).execute(), 600).iterator().next().getLong(0);
  }

  private static void drop(Vertx vertx, MySqlConfig mysql) throws Exception {
    Pool server = BenchDatabase.pool(vertx, mysql, false, 1);
    BenchDatabase.await(server.query("DROP DATABASE IF EXISTS `" + mysql.database() + "`").execute(), 600);
    BenchDatabase.await(server.close(), 10);
  }
}
