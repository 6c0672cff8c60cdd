package io.nbnet.bench.storage;

import io.nbnet.formats.Sample;
import io.nbnet.store.MySqlConfig;
import io.nbnet.store.RetentionConfig;
import io.nbnet.store.tables.BlockCodec;
import io.nbnet.store.tables.HourBlock;
import io.nbnet.store.tables.Windows;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.HdrHistogram.Histogram;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private static final long INTERVAL_MILLIS = 10_000;

  private static final int WARM_UP = 20;

  private final Vertx vertx;
  private final MySqlConfig mysql;
  private final FleetTemplate template;
  private final int hosts;
  private final int days;
  private final int rawDays;
  private final int queries;
  private final boolean reuse;

  QueryRun(Vertx vertx, MySqlConfig mysql, FleetTemplate template, int hosts, int days, int rawDays, int queries, boolean reuse) {
    this.reuse = reuse;
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
    if (reuse && loaded()) {
      System.out.println("reusing the query data loaded before in " + mysql.database());
      Pool pool = BenchDatabase.pool(vertx, mysql, true, 2);
      try {
        long newest = BenchDatabase.await(pool.query("SELECT MAX(window_start) FROM samples_windows").execute(), 60).iterator().next()
          .getLong(0);
        measure(pool, newest + Windows.WINDOW_MILLIS);
      } finally {
        BenchDatabase.await(pool.close(), 10);
      }
      return;
    }
    BenchDatabase.recreate(vertx, mysql);
    Pool pool = BenchDatabase.pool(vertx, mysql, true, 2);
    try {
      // the tiers' partitions, as a saver's retention keeps them
      BenchDatabase.OpenStore store = BenchDatabase.openStore(vertx, mysql, BenchDatabase.STORE.compaction(), new RetentionConfig(0, 0, 0, 2, 60_000));
      BenchDatabase.await(store.call(opened -> opened.retentionRound().eventually(opened::stop)), 120);
      long now = System.currentTimeMillis();
      long firstWindow = Windows.windowOf(now - days * Windows.DAY_MILLIS);
      long lastWindow = Windows.windowOf(now) - Windows.WINDOW_MILLIS;
      long started = System.nanoTime();
      System.out.printf("loading %d hosts x %d series: %d days of rollups, %d days of raw blocks...%n", hosts, template.series().size(), days, rawDays);
      load(folder, "dictionary", this::writeDictionary, "samples_series", "(series_id, host_id, metric, tags)");
      load(folder, "hosts", out -> writeHosts(out, now), "samples_hosts", "(host_id, host, first_received, last_received, last_ts)");
      load(folder, "windows", out -> writeWindows(out, firstWindow, lastWindow), "samples_windows", "(window_start)");
      load(folder, "rollup5m", out -> writeRollup5m(out, firstWindow, lastWindow), "samples_rollup_5m",
        "(hour, series_id, buckets)");
      load(folder, "rollup1h", out -> writeRollup1h(out, firstWindow, lastWindow), "samples_rollup_1h",
        "(series_id, bucket, min, max, sum, count, last)");
      long firstRawWindow = Math.max(firstWindow, lastWindow - rawDays * Windows.DAY_MILLIS + Windows.WINDOW_MILLIS);
      load(folder, "raw-times", out -> writeRawTimes(out, firstRawWindow, lastWindow), "samples_raw_times", "(window_start, host_id, times)");
      load(folder, "raw", out -> writeRaw(out, firstRawWindow, lastWindow),
        "samples_raw", "(window_start, host_id, series_id, samples, @points) SET points = UNHEX(@points)");
      for (String table : List.of("samples_series", "samples_hosts", "samples_windows", "samples_rollup_5m", "samples_rollup_1h",
        "samples_raw_times", "samples_raw")) {
        BenchDatabase.await(pool.query("ANALYZE TABLE " + table).execute(), 3600);
      }
      System.out.printf("loaded in %.0f s%n", (System.nanoTime() - started) / 1e9);
      measure(pool, now);
    } finally {
      BenchDatabase.await(pool.close(), 10);
    }
  }

  private boolean loaded() throws Exception {
    Pool server = BenchDatabase.pool(vertx, mysql, false, 1);
    try {
      return BenchDatabase.await(server.preparedQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ?"
        + " AND table_name = 'samples_windows'").execute(Tuple.of(mysql.database())), 60).iterator().next().getLong(0) > 0
        && BenchDatabase.await(server.query("SELECT COUNT(*) FROM `" + mysql.database() + "`.samples_windows").execute(), 60)
          .iterator().next().getLong(0) > 0;
    } finally {
      BenchDatabase.await(server.close(), 10);
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
        List<Object> params = new ArrayList<>(List.of(hostName(host), series.metric(), series.tags(), from, now));
        if (kind.getKey().startsWith("raw")) {
          params.addAll(List.of(from, now));
        }
        String sql = literalSql(kind.getValue()[0], params);
        long start = System.nanoTime();
        int rows = BenchDatabase.await(pool.query(sql).execute(), 120).size();
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

  /**
   * The query with its values written in, as Grafana sends them: with {@code ?} parameters, MariaDB
   * 10.11 does not push the conditions into the views' branches and reads every block.
   */
  private static String literalSql(String sql, List<Object> params) {
    StringBuilder literal = new StringBuilder();
    int next = 0;
    for (char c : sql.toCharArray()) {
      if (c != '?') {
        literal.append(c);
      } else if (params.get(next) instanceof String text) {
        literal.append('\'').append(text.replace("\\", "\\\\").replace("'", "''")).append('\'');
        next++;
      } else {
        literal.append(params.get(next++));
      }
    }
    return literal.toString();
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
    for (long hour = Windows.hourOf(first); hour <= last; hour += Windows.HOUR_MILLIS) {
      for (int id = 1; id <= seriesCount; id++) {
        double[][] buckets = new double[HourBlock.BUCKETS][];
        for (int i = 0; i < HourBlock.BUCKETS; i++) {
          long window = hour + i * Windows.WINDOW_MILLIS;
          if (window >= first && window <= last) {
            buckets[i] = rollupValues(id, window, 30);
          }
        }
        out.write(hour + "\t" + id + "\t" + HourBlock.encode(buckets) + "\n");
      }
    }
  }

  private void writeRollup1h(BufferedWriter out, long first, long last) throws IOException {
    int seriesCount = hosts * template.series().size();
    for (int id = 1; id <= seriesCount; id++) {
      for (long hour = Windows.hourOf(first); hour <= last; hour += Windows.HOUR_MILLIS) {
        double[] rollup = rollupValues(id, hour, 360);
        out.write(id + "\t" + hour + "\t" + rollup[0] + "\t" + rollup[1] + "\t" + rollup[2] + "\t" + (long) rollup[3] + "\t" + rollup[4] + "\n");
      }
    }
  }

  /** min, max, sum, count, last of a bucket of a series moving around 50. */
  private static double[] rollupValues(int series, long bucket, int count) {
    SplittableRandom random = new SplittableRandom(series * 31L + bucket);
    double base = 50 + 40 * Math.sin(bucket / 3.6e6 + series);
    double min = base - random.nextDouble(0, 5);
    double max = base + random.nextDouble(0, 5);
    return new double[] {min, max, base * count, count, random.nextDouble(min, max)};
  }

  /** The times of every host's samples in each window: every host samples all its series at once. */
  private void writeRawTimes(BufferedWriter out, long first, long last) throws IOException {
    MovingFleet fleet = new MovingFleet(template, hosts, first, INTERVAL_MILLIS);
    for (long window = first; window <= last; window += Windows.WINDOW_MILLIS) {
      for (int h = 0; h < hosts; h++) {
        out.write(window + "\t" + (h + 1) + "\t" + BlockCodec.encodeTimes(window, timesOf(fleet, h, window)) + "\n");
      }
    }
  }

  /** Raw blocks of the moving fleet, window after window, encoded like the saver's. */
  private void writeRaw(BufferedWriter out, long first, long last) throws IOException {
    MovingFleet fleet = new MovingFleet(template, hosts, first, INTERVAL_MILLIS);
    HexFormat hex = HexFormat.of();
    int perHost = template.series().size();
    for (long window = first; window <= last; window += Windows.WINDOW_MILLIS) {
      for (int h = 0; h < hosts; h++) {
        long[] times = timesOf(fleet, h, window);
        double[][] values = new double[perHost][times.length];
        long interval = fleet.intervalAt(h, times[0]);
        for (int t = 0; t < times.length; t++) {
          List<Sample> samples = fleet.samples(h, interval + t);
          for (int s = 0; s < perHost; s++) {
            values[s][t] = samples.get(s).value();
          }
        }
        for (int s = 0; s < perHost; s++) {
          out.write(window + "\t" + (h + 1) + "\t" + seriesId(h, s) + "\t" + times.length + "\t"
            + hex.formatHex(BlockCodec.encodeNumbers(values[s])) + "\n");
        }
      }
    }
  }

  /** The sample times of host {@code h} in the window. */
  private static long[] timesOf(MovingFleet fleet, int h, long window) {
    List<Long> times = new ArrayList<>();
    for (long interval = fleet.intervalAt(h, window); fleet.timestamp(h, interval) < window + Windows.WINDOW_MILLIS; interval++) {
      times.add(fleet.timestamp(h, interval));
    }
    return times.stream().mapToLong(Long::longValue).toArray();
  }
}
