package io.nbnet.store.deploy;

import io.nbnet.store.tables.HourBlock;
import io.nbnet.store.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every SQL query of deploy/grafana/nbnet-dashboard.json runs against a schema made from
 * deploy/create.sql holding a little data in every tier, and finds it over an hour (raw samples), a
 * day (5-minute rollups) and a month (1-hour rollups): the dashboard cannot rot unnoticed.
 */
@ExtendWith(VertxExtension.class)
class DashboardQueriesTest {

  private static final Path DASHBOARD = Path.of("../deploy/grafana/nbnet-dashboard.json");
  private static final Path CREATE_SQL = Path.of("../deploy/create.sql");
  private static final String HOST = "dash-host";
  private static final long NOW_SECONDS = System.currentTimeMillis() / 1000;
  private static TestDatabase database;

  @BeforeAll
  static void createSchemaAndData(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    for (String statement : createSqlStatements()) {
      if (!statement.startsWith("CREATE DATABASE") && !statement.startsWith("USE ")) {
        database.execute(statement);
      }
    }
    long ts = (NOW_SECONDS - 60) * 1000;
    long dayAgo = (NOW_SECONDS - 12 * 3600) * 1000;
    long window = dayAgo - dayAgo % 300_000;
    long hour = (NOW_SECONDS - 10 * 86400) * 1000 / 3_600_000 * 3_600_000;
    database.query("INSERT INTO samples_hosts (host, first_received, last_received, last_ts) VALUES (?, ?, ?, ?)", HOST, ts, ts, ts);
    database.query("INSERT INTO samples_windows (window_start) VALUES (?)", window);
    List<String[]> samples = List.of(
      new String[] {"cpu.user", ""}, new String[] {"cpu.system", ""}, new String[] {"mem.total_bytes", ""},
      new String[] {"mem.used_bytes", ""}, new String[] {"load.1", ""}, new String[] {"disk.read_bytes_per_s", "device=sda"},
      new String[] {"net.rx_bytes_per_s", "iface=eth0"}, new String[] {"tcp.established", ""},
      new String[] {"fs.size_bytes", "device=/dev/sda1,mount=/,type=ext4"}, new String[] {"fs.used_bytes", "device=/dev/sda1,mount=/,type=ext4"});
    int series = 0;
    for (String[] sample : samples) {
      series++;
      database.query("INSERT INTO samples_series (series_id, host_id, metric, tags) VALUES (?, 1, ?, ?)", series, sample[0], sample[1]);
      database.query("INSERT INTO samples_recent (host_id, ts, series_id, value) VALUES (1, ?, ?, 42)", ts, series);
      double[][] buckets = new double[HourBlock.BUCKETS][];
      long windowHour = window - window % 3_600_000;
      buckets[(int) ((window - windowHour) / 300_000)] = new double[] {40, 44, 84, 2, 42};
      database.query("INSERT INTO samples_rollup_5m (hour, series_id, buckets) VALUES (?, ?, ?)", windowHour, series, HourBlock.encode(buckets));
      database.query("INSERT INTO samples_rollup_1h (series_id, bucket, min, max, sum, count, last) VALUES (?, ?, 40, 44, 84, 2, 42)", series, hour);
    }
    database.query("INSERT INTO stat_2 (host, mem_free, mem_usage, mem_total, load_avg, time) VALUES (?, 1, 2, 3, '0.1', ?)", HOST, NOW_SECONDS - 60);
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  @ParameterizedTest(name = "over {0} seconds")
  @ValueSource(longs = {3600, 86400, 30 * 86400})
  @DisplayName("every MySQL query of the dashboard runs and finds the host's data in the tier its range reads; the host variable lists the host")
  void queriesRun(long rangeSeconds) throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    List<String> checked = new ArrayList<>();
    for (Object item : dashboard.getJsonArray("panels")) {
      JsonObject panel = (JsonObject) item;
      for (Object target : panel.getJsonArray("targets", new JsonArray())) {
        String sql = ((JsonObject) target).getString("rawSql");
        if (sql != null) {
          List<Row> rows = database.query(substitute(sql, rangeSeconds));
          assertFalse(rows.isEmpty(), "panel \"" + panel.getString("title") + "\" found nothing: " + sql);
          checked.add(panel.getString("title"));
        }
      }
    }
    assertTrue(checked.size() >= 8, "MySQL panels checked: " + checked);
    String hostQuery = dashboard.getJsonObject("templating").getJsonArray("list").getJsonObject(0).getString("query");
    assertTrue(database.query(hostQuery).stream().anyMatch(row -> HOST.equals(row.getString(0))));
  }

  /** What Grafana does to the macros and variables the dashboard uses, for the range up to now. */
  private static String substitute(String sql, long rangeSeconds) {
    Map<String, String> values = Map.of(
      "$__unixEpochFrom()", String.valueOf(NOW_SECONDS - rangeSeconds),
      "$__unixEpochTo()", String.valueOf(NOW_SECONDS),
      "$host", HOST);
    String result = sql;
    for (Map.Entry<String, String> value : values.entrySet()) {
      result = result.replace(value.getKey(), value.getValue());
    }
    assertFalse(result.contains("$"), "a macro the test does not know: " + result);
    return result;
  }

  private static List<String> createSqlStatements() throws Exception {
    StringBuilder text = new StringBuilder();
    for (String line : Files.readAllLines(CREATE_SQL)) {
      if (!line.startsWith("--")) {
        text.append(line).append('\n');
      }
    }
    return Arrays.stream(text.toString().split(";\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
