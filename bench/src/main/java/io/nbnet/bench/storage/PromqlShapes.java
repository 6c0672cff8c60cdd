package io.nbnet.bench.storage;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The query shapes the PromQL bench times: what one Grafana panel, one host dashboard and one fleet view ask. */
final class PromqlShapes {

  /** One range query. */
  record Query(String expr, long start, long end, long step) {
  }

  /** A shape: the queries a user's one action sends, timed together. */
  record Shape(String name, List<Query> queries) {
  }

  /** The host dashboard nbnet ships: its panels' queries, {@code $host} to be set. */
  private static final Path DASHBOARD = Path.of("deploy/grafana/nbnet-host-promql.json");

  private PromqlShapes() {
  }

  /** The queries of the shipped host dashboard's panels, {@code $host} in them. */
  static List<String> panels() {
    try {
      List<String> panels = new ArrayList<>();
      for (Object panel : new JsonObject(Files.readString(DASHBOARD)).getJsonArray("panels")) {
        panels.add(((JsonObject) panel).getJsonArray("targets").getJsonObject(0).getString("expr"));
      }
      return panels;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DASHBOARD + " (run from the checkout)", e);
    }
  }

  static List<Shape> shapes(String host, long now) {
    List<Query> dashboard = new ArrayList<>();
    for (String expr : panels()) {
      dashboard.add(new Query(expr.replace("$host", host), now - 24 * 3_600_000L, now, 120_000));
    }
    return List.of(
      new Shape("one series, 1 h, 15 s step", List.of(new Query("cpu_user{host=\"" + host + "\"}", now - 3_600_000, now, 15_000))),
      new Shape("host dashboard, " + dashboard.size() + " queries, 24 h, 120 s step", dashboard),
      new Shape("sum by (host) (rate(net_rx_bytes_per_s[5m])), all hosts, 1 h, 15 s step",
        List.of(new Query("sum by (host) (rate(net_rx_bytes_per_s[5m]))", now - 3_600_000, now, 15_000))));
  }
}
