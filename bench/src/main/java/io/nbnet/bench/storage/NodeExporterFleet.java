package io.nbnet.bench.storage;

import io.nbnet.formats.Sample;
import io.nbnet.formats.Tags;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A fleet of node_exporters, recorded from the real one on this machine: its series (names, labels,
 * values, which are counters), scraped once, then for every simulated host and interval moved the way
 * they move (counters up, gauges a little either way). Each host is {@code instance="host-NNNN:9100"},
 * {@code job="node"}, as Prometheus labels what it scrapes.
 */
final class NodeExporterFleet {

  /** One series of node_exporter's page. */
  record Series(String name, Map<String, String> labels, double value, boolean counter) {
  }

  private final List<Series> series;
  private final int hosts;

  private NodeExporterFleet(List<Series> series, int hosts) {
    this.series = series;
    this.hosts = hosts;
  }

  /** Starts {@code nodeExporter} on a free loopback port, reads its page once, stops it. */
  static NodeExporterFleet record(Path nodeExporter, int hosts) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Process process = new ProcessBuilder(nodeExporter.toString(), "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
      .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try {
          String page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
          return new NodeExporterFleet(parse(page), hosts);
        } catch (java.io.IOException notYet) {
          if (System.nanoTime() > deadline) {
            throw notYet;
          }
          Thread.sleep(100);
        }
      }
    } finally {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  int seriesPerHost() {
    return series.size();
  }

  String host(int host) {
    return String.format("host-%04d:9100", host);
  }

  /** A host's samples at interval {@code index} (time {@code ts}), with their Prometheus labels ({@code __name__} included). */
  List<Map<String, String>> labels(int host) {
    List<Map<String, String>> all = new ArrayList<>(series.size());
    for (Series one : series) {
      Map<String, String> labels = new TreeMap<>(one.labels());
      labels.put("__name__", one.name());
      labels.put("instance", host(host));
      labels.put("job", "node");
      all.add(labels);
    }
    return all;
  }

  /** The value of series {@code s} of {@code host} at interval {@code index}. */
  double value(int host, int s, long index) {
    Series one = series.get(s);
    long seed = host * 1_000_003L + s * 7919L;
    if (one.counter()) {
      return Math.floor(one.value() + index * (1 + Math.floorMod(seed, 97)));
    }
    return one.value() == 0 ? 0 : Math.round(one.value() * (1 + Math.floorMod(seed + index * 31, 21) / 1000.0 - 0.01) * 1000) / 1000.0;
  }

  /** The same sample as nbnet's: host its instance, tags its other labels as remote write stores them. */
  Sample sample(Map<String, String> labels, long ts, double value) {
    Map<String, String> tags = new TreeMap<>(labels);
    String name = tags.remove("__name__");
    return Sample.numeric(tags.get("instance"), ts, name, Tags.escaped(tags), value);
  }

  int hosts() {
    return hosts;
  }

  /** Prometheus's text format, as node_exporter writes it: {@code # TYPE} lines and {@code name{labels} value}. */
  static List<Series> parse(String page) {
    Set<String> counters = new HashSet<>();
    List<Series> series = new ArrayList<>();
    for (String line : page.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        if (parts.length == 4 && parts[3].equals("counter")) {
          counters.add(parts[2]);
        }
        continue;
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && brace < space) {
        String body = line.substring(brace + 1, line.lastIndexOf('}'));
        int i = 0;
        while (i < body.length()) {
          int equals = body.indexOf('=', i);
          String key = body.substring(i, equals).trim();
          StringBuilder value = new StringBuilder();
          int j = equals + 2;
          for (; body.charAt(j) != '"'; j++) {
            char c = body.charAt(j);
            if (c == '\\') {
              char next = body.charAt(++j);
              value.append(next == 'n' ? '\n' : next);
            } else {
              value.append(c);
            }
          }
          labels.put(key, value.toString());
          i = j + 2; // past the quote and the comma
        }
      }
      double value = Double.parseDouble(line.substring(space + 1));
      if (Double.isFinite(value)) {
        series.add(new Series(name, labels, value, counters.contains(name)));
      }
    }
    return series;
  }
}
