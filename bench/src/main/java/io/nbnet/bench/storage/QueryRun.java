package io.nbnet.bench.storage;

import io.nbnet.formats.Sample;
import io.nbnet.saver.compaction.BlockCodec;
import io.nbnet.saver.layout.Windows;
import io.nbnet.saver.mysql.MySqlConfig;
import io.nbnet.saver.mysql.MySqlPools;
import io.nbnet.saver.retention.RetentionConfig;
import io.nbnet.saver.retention.RetentionManager;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.HdrHistogram.Histogram;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * How fast the views read: {@code hosts} hosts of the template, {@code days} days of 5-minute and
 * 1-hour rollups and {@code rawDays} days of raw blocks, loaded the fast way (generated into files,
 * then LOAD DATA in key order, as a migration or a long-running saver would leave them), then one
 * series at a time queried over 1 hour, 24 hours and 30 days through the views a dashboard uses.
 * The raw blocks hold samples of the moving fleet, encoded by the saver's own codec; the rollups hold
 * plausible numbers (their values do not change how fast they are read).
 */
final class QueryRun {

  private static final int WARM_UP = 20;

  private final Vertx vertx;
  private final MySqlConfig mysql;
  private final FleetTemplate template;
  private final int hosts;
  private final int days;
  private final int rawDays;
  private final int queries;

  QueryRun(Vertx vertx, MySqlConfig mysql, FleetTemplate template, int hosts, int days, int rawDays, int queries) {
    this.vertx = vertx;
    this.mysql = mysql;
    this.template = template;
    this.hosts = hosts;
    this.days = days;
    this.rawDays = rawDays;
    this.queries = queries;
  }

  /** Loads the data and prints p50 and p99 per query. */
  void run(Path folder) throws Exception {
    BenchDatabase.recreate(vertx, mysql);
    Pool pool = MySqlPools.pool(vertx, mysql, true, 2);
    try {
      BenchDatabase.await(new RetentionManager(vertx, pool, BenchDatabase.LAYOUT, new RetentionConfig(0, 0, 0, 2, 60_000), Clock.systemUTC())
        .maintain(), 120);
      long now = System.currentTimeMillis();
      long firstWindow = Windows.windowOf(now - days * Windows.DAY_MILLIS);
      long lastWindow = Windows.windowOf(now) - Windows.WINDOW_MILLIS;
      long started = System.nanoTime();
      System.out.printf("loading %d hosts x %d series: %d days of rollups, %d days of raw blocks...%n", hosts, template.series().size(), days, rawDays);
      load(folder, "dictionary", this::writeDictionary, "samples_series", "(series_id, host_id, metric, tags)");
      load(folder, "hosts", out -> writeHosts(out, now), "samples_hosts", "(host_id, host, first_received, last_received, last_ts)");
      load(folder, "windows", out -> writeWindows(out, firstWindow, lastWindow), "samples_windows", "(window_start)");
      load(folder, "rollup5m", out -> writeRollup5m(out, firstWindow, lastWindow), "samples_rollup_5m",
        "(bucket, series_id, min, max, sum, count, last)");
      load(folder, "rollup1h", out -> writeRollup1h(out, firstWindow, lastWindow), "samples_rollup_1h",
        "(series_id, bucket, min, max, sum, count, last)");
      load(folder, "raw", out -> writeRaw(out, Math.max(firstWindow, lastWindow - rawDays * Windows.DAY_MILLIS + Windows.WINDOW_MILLIS), lastWindow),
        "samples_raw", "(window_start, series_id, samples, @points) SET points = UNHEX(@points)");
      for (String table : List.of("samples_series", "samples_hosts", "samples_windows", "samples_rollup_5m", "samples_rollup_1h", "samples_raw")) {
        BenchDatabase.await(pool.query("ANALYZE TABLE " + table).execute(), 3600);
      }
      System.out.printf("loaded in %.0f s%n", (System.nanoTime() - started) / 1e9);
      measure(pool, now);
    } finally {
      BenchDatabase.await(pool.close(), 10);
    }
  }

  private void measure(Pool pool, long now) throws Exception {
    Map<String, String[]> kinds = new LinkedHashMap<>();
    kinds.put("raw, 1 hour", new String[] {"SELECT ts, value FROM samples_all WHERE host = ? AND metric = ? AND tags = ?"
      + " AND window_start BETWEEN ? - 300000 AND ? AND ts BETWEEN ? AND ?", "3600000"});
    kinds.put("raw, 24 hours", new String[] {"SELECT ts, value FROM samples_all WHERE host = ? AND metric = ? AND tags = ?"
      + " AND window_start BETWEEN ? - 300000 AND ? AND ts BETWEEN ? AND ?", "86400000"});
    kinds.put("5-minute rollup, 24 hours", new String[] {"SELECT ts, avg FROM samples_5m WHERE host = ? AND metric = ? AND tags = ?"
      + " AND ts BETWEEN ? AND ?", "86400000"});
    kinds.put("5-minute rollup, 30 days", new String[] {"SELECT ts, avg FROM samples_5m WHERE host = ? AND metric = ? AND tags = ?"
      + " AND ts BETWEEN ? AND ?", "2592000000"});
    kinds.put("1-hour rollup, 30 days", new String[] {"SELECT ts, avg FROM samples_1h WHERE host = ? AND metric = ? AND tags = ?"
      + " AND ts BETWEEN ? AND ?", "2592000000"});
    System.out.println();
    System.out.printf("%-28s %10s %10s %10s%n", "one series over", "p50 ms", "p99 ms", "points");
    SplittableRandom random = new SplittableRandom(42);
    for (Map.Entry<String, String[]> kind : kinds.entrySet()) {
      Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
      long points = 0;
      for (int i = 0; i < WARM_UP + queries; i++) {
        int host = random.nextInt(hosts);
        FleetTemplate.Series series = template.series().get(random.nextInt(template.series().size()));
        long range = Long.parseLong(kind.getValue()[1]);
        long from = now - range;
        Tuple params = Tuple.of(hostName(host), series.metric(), series.tags());
        if (kind.getKey().startsWith("raw")) {
          params.addLong(from).addLong(now).addLong(from).addLong(now);
        } else {
          params.addLong(from).addLong(now);
        }
        long start = System.nanoTime();
        int rows = BenchDatabase.await(pool.preparedQuery(kind.getValue()[0]).execute(params), 120).size();
        long took = System.nanoTime() - start;
        if (i >= WARM_UP) {
          histogram.recordValue(took);
          points += rows;
        }
      }
      System.out.printf("%-28s %10.2f %10.2f %10d%n", kind.getKey(), histogram.getValueAtPercentile(50) / 1e6,
        histogram.getValueAtPercentile(99) / 1e6, points / queries);
    }
  }

  @FunctionalInterface
  private interface Writer {
    void write(BufferedWriter out) throws IOException;
  }

  private void load(Path folder, String name, Writer writer, String table, String columns) throws Exception {
    Path file = folder.resolve(name + ".tsv");
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writer.write(out);
    }
    Process process = new ProcessBuilder("mariadb", "-h", mysql.host(), "-P", String.valueOf(mysql.port()), "-u", mysql.user(),
      "--local-infile=1", mysql.database(), "-e",
      "LOAD DATA LOCAL INFILE '" + file + "' INTO TABLE " + table + " " + columns)
      .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("LOAD DATA into " + table + " failed: " + output);
    }
    Files.delete(file);
  }

  private String hostName(int host) {
    return String.format("query-host-%03d", host);
  }

  private int seriesId(int host, int series) {
    return host * template.series().size() + series + 1;
  }

  private void writeDictionary(BufferedWriter out) throws IOException {
    for (int h = 0; h < hosts; h++) {
      for (int s = 0; s < template.series().size(); s++) {
        FleetTemplate.Series series = template.series().get(s);
        out.write(seriesId(h, s) + "\t" + (h + 1) + "\t" + series.metric() + "\t" + series.tags() + "\n");
      }
    }
  }

  private void writeHosts(BufferedWriter out, long now) throws IOException {
    for (int h = 0; h < hosts; h++) {
      out.write((h + 1) + "\t" + hostName(h) + "\t" + now + "\t" + now + "\t" + now + "\n");
    }
  }

  private void writeWindows(BufferedWriter out, long first, long last) throws IOException {
    for (long window = first; window <= last; window += Windows.WINDOW_MILLIS) {
      out.write(window + "\n");
    }
  }

  private void writeRollup5m(BufferedWriter out, long first, long last) throws IOException {
    int seriesCount = hosts * template.series().size();
    for (long window = first; window <= last; window += Windows.WINDOW_MILLIS) {
      for (int id = 1; id <= seriesCount; id++) {
        out.write(window + "\t" + id + "\t" + rollupValues(id, window, 30) + "\n");
      }
    }
  }

  private void writeRollup1h(BufferedWriter out, long first, long last) throws IOException {
    int seriesCount = hosts * template.series().size();
    for (int id = 1; id <= seriesCount; id++) {
      for (long hour = Windows.hourOf(first); hour <= last; hour += Windows.HOUR_MILLIS) {
        out.write(id + "\t" + hour + "\t" + rollupValues(id, hour, 360) + "\n");
      }
    }
  }

  private static String rollupValues(int series, long bucket, int count) {
    SplittableRandom random = new SplittableRandom(series * 31L + bucket);
    double base = 50 + 40 * Math.sin(bucket / 3.6e6 + series);
    double min = base - random.nextDouble(0, 5);
    double max = base + random.nextDouble(0, 5);
    return min + "\t" + max + "\t" + base * count + "\t" + count + "\t" + random.nextDouble(min, max);
  }

  /** Raw blocks of the moving fleet, window after window, encoded like the saver's. */
  private void writeRaw(BufferedWriter out, long first, long last) throws IOException {
    long intervalMillis = 10_000;
    MovingFleet fleet = new MovingFleet(template, hosts, first, intervalMillis);
    HexFormat hex = HexFormat.of();
    long interval = 0;
    for (long window = first; window <= last; window += Windows.WINDOW_MILLIS) {
      List<List<double[]>> points = new ArrayList<>();
      for (int i = 0; i < hosts * template.series().size(); i++) {
        points.add(new ArrayList<>());
      }
      for (; fleet.timestamp(0, interval) < window + Windows.WINDOW_MILLIS; interval++) {
        for (int h = 0; h < hosts; h++) {
          List<Sample> samples = fleet.samples(h, interval);
          for (int s = 0; s < samples.size(); s++) {
            points.get(seriesId(h, s) - 1).add(new double[] {samples.get(s).timestampMillis(), samples.get(s).value()});
          }
        }
      }
      for (int id = 1; id <= points.size(); id++) {
        List<double[]> series = points.get(id - 1);
        long[] ts = new long[series.size()];
        double[] values = new double[series.size()];
        for (int i = 0; i < ts.length; i++) {
          ts[i] = (long) series.get(i)[0];
          values[i] = series.get(i)[1];
        }
        out.write(window + "\t" + id + "\t" + ts.length + "\t" + hex.formatHex(BlockCodec.encodeNumbers(window, ts, values)) + "\n");
      }
    }
  }
}
