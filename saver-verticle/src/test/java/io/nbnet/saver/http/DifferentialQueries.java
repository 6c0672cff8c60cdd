package io.nbnet.saver.http;

import java.util.List;

/** The queries {@link PrometheusDifferentialTest} asks of Prometheus 2.42 and of nbnet: every function, aggregation, operator and matching mode nbnet supports. */
final class DifferentialQueries {

  static final List<String> QUERIES = List.of(
    // selectors
    "cpu_user",
    "cpu_user{host=\"h1\"}",
    "cpu_user{host!=\"h1\"}",
    "cpu_user{host=~\"h[0-2]\"}",
    "cpu_user{host!~\"h[0-2]\"}",
    "{__name__=~\"disk_.*\", device=\"sda\"}",
    "cpu_user offset 10m",
    "cpu_user @ " + "end()",
    "disk_busy_percent{device=\"sdb\"} offset -1m",
    // counters
    "rate(net_rx_bytes[5m])",
    "irate(net_rx_bytes[5m])",
    "increase(net_rx_bytes[10m])",
    "resets(net_rx_bytes[30m])",
    "rate(net_rx_bytes[1m])",
    "delta(cpu_user[5m])",
    "idelta(cpu_user[5m])",
    "deriv(cpu_user[10m])",
    "predict_linear(net_rx_bytes[10m], 600)",
    "changes(disk_busy_percent[5m])",
    // over time
    "avg_over_time(cpu_user[5m])",
    "min_over_time(cpu_user[5m])",
    "max_over_time(cpu_user[5m])",
    "sum_over_time(cpu_user[5m])",
    "count_over_time(cpu_user[5m])",
    "last_over_time(cpu_user[5m])",
    "quantile_over_time(0.9, cpu_user[10m])",
    "stddev_over_time(cpu_user[10m])",
    "stdvar_over_time(cpu_user[10m])",
    "present_over_time(cpu_user{host=\"h3\"}[1m])",
    "absent_over_time(cpu_user{host=\"h3\"}[1m])",
    // math
    "abs(cpu_user - 50)",
    "ceil(cpu_user)",
    "floor(cpu_user)",
    "round(cpu_user, 5)",
    "sqrt(cpu_user)",
    "exp(cpu_user / 100)",
    "ln(cpu_user + 1)",
    "log2(cpu_user + 1)",
    "log10(cpu_user + 1)",
    "clamp(cpu_user, 20, 80)",
    "clamp_min(cpu_user, 50)",
    "clamp_max(cpu_user, 50)",
    "sgn(cpu_user - 50)",
    // other functions
    "time() - timestamp(cpu_user)",
    "vector(1)",
    "scalar(sum(cpu_user))",
    "absent(nonexistent_metric)",
    "absent(cpu_user)",
    "sort(cpu_user)",
    "sort_desc(cpu_user)",
    "label_replace(cpu_user, \"machine\", \"m-$1\", \"host\", \"h(.*)\")",
    "label_join(disk_busy_percent, \"where\", \"/\", \"host\", \"device\")",
    // aggregations
    "sum(cpu_user)",
    "avg(cpu_user)",
    "min(cpu_user)",
    "max(cpu_user)",
    "count(cpu_user)",
    "group(cpu_user)",
    "stddev(cpu_user)",
    "stdvar(cpu_user)",
    "sum by (device) (disk_busy_percent)",
    "avg without (device) (disk_busy_percent)",
    "max by (host) (disk_busy_percent)",
    "topk(3, cpu_user)",
    "bottomk(2, cpu_user)",
    "quantile(0.75, cpu_user)",
    "count_values(\"value\", disk_busy_percent{device=\"sdb\"})",
    "sum(rate(net_rx_bytes[5m])) by (host)",
    // operators
    "cpu_user + 1",
    "2 * cpu_user",
    "cpu_user / 3",
    "cpu_user % 7",
    "cpu_user ^ 2",
    "cpu_user > 50",
    "cpu_user >= bool 50",
    "cpu_user < 30 or cpu_user > 70",
    "cpu_user and disk_busy_percent{device=\"sda\"}",
    "cpu_user and on (host) disk_busy_percent{device=\"sda\"} > 50",
    "cpu_user unless on (host) disk_busy_percent{device=\"sda\"} > 50",
    "cpu_user + on (host) group_left sum by (host) (disk_busy_percent)",
    "disk_busy_percent / ignoring (device) group_left cpu_user",
    "sum by (host) (disk_busy_percent) - on (host) cpu_user",
    "-cpu_user",
    "1 + 2 * 3",
    "scalar(max(cpu_user)) > bool 90",
    // subqueries
    "max_over_time(rate(net_rx_bytes[1m])[10m:1m])",
    "avg_over_time(cpu_user[10m:30s])",
    "min_over_time(sum(cpu_user)[5m:])"
  );

  private DifferentialQueries() {
  }
}
