package io.nbnet.bench.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Readers hammering a saver's query API while the fleet is stored: each sends, back to back without a
 * pause, what the dashboard asks for one host page (every chart's metrics in one query) over 1 hour
 * (raw samples) or 24 hours (5-minute rollups), for a random host of the fleet, and the host list now
 * and then. Counts answers by status and records their latency.
 */
final class ApiReaders {

  /** The dashboard's chart metrics. */
  private static final List<String> METRICS = List.of("cpu.user", "cpu.system", "cpu.iowait", "cpu.steal", "mem.used_bytes",
    "mem.cached_bytes", "mem.buffers_bytes", "mem.free_bytes", "load.1", "load.5", "load.15", "disk.read_bytes_per_s",
    "disk.write_bytes_per_s", "disk.reads_per_s", "disk.writes_per_s", "disk.busy_percent", "fs.used_bytes", "net.rx_bytes_per_s",
    "net.tx_bytes_per_s", "net.rx_packets_per_s", "net.tx_packets_per_s", "net.rx_errors", "net.tx_errors", "net.rx_dropped",
    "net.tx_dropped", "tcp.established", "tcp.time_wait", "tcp.close_wait", "tcp.syn_recv", "proc.total", "proc.running", "proc.blocked");
  private static final String METRIC_PARAMS = METRICS.stream().map(m -> "&metric=" + m).collect(Collectors.joining());

  private final Vertx vertx;
  private final MovingFleet fleet;
  private final HttpClient client;
  private final int readers;
  /** Grafana's way instead: the PromQL panels of one host over the last hour, each a POSTed query_range. */
  private final boolean promql;
  private final Recorder latencies = new Recorder(3);
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong busy = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final long startNanos = System.nanoTime();
  private volatile boolean stopped;

  ApiReaders(Vertx vertx, MovingFleet fleet, int port, int readers, boolean promql) {
    this.vertx = vertx;
    this.fleet = fleet;
    this.readers = readers;
    this.promql = promql;
    this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(readers));
  }

  void start() {
    for (int r = 0; r < readers; r++) {
      vertx.runOnContext(v -> next());
    }
  }

  private void next() {
    if (stopped) {
      return;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String host = URLEncoder.encode(fleet.host(random.nextInt(fleet.hosts())), StandardCharsets.UTF_8);
    int kind = random.nextInt(10);
    String uri = kind == 0 ? "/api/hosts"
      : "/api/query?host=" + host + METRIC_PARAMS + (kind % 2 == 0 ? "&from=now-24h&step=5m" : "&from=now-1h") + "&fields=avg";
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setURI(uri).setTimeout(30_000);
    String form = null;
    if (promql) {
      long now = System.currentTimeMillis() / 1000;
      String panel = PromqlShapes.panels().get(random.nextInt(PromqlShapes.panels().size())).replace("$host", fleet.host(random.nextInt(fleet.hosts())));
      form = "query=" + URLEncoder.encode(panel, StandardCharsets.UTF_8) + "&start=" + (now - 3600) + "&end=" + now + "&step=15";
      request.setMethod(HttpMethod.POST).setURI("/api/v1/query_range").putHeader("Content-Type", "application/x-www-form-urlencoded");
    }
    String body = form;
    long began = System.nanoTime();
    client.request(request)
      .compose(sent -> (body == null ? sent.send() : sent.send(body)).compose(response -> response.body().map(b -> response.statusCode())))
      .onComplete(done -> {
        latencies.recordValue(Math.max(1, (System.nanoTime() - began) / 1_000));
        if (done.succeeded() && done.result() == 200) {
          answered.incrementAndGet();
        } else if (done.succeeded() && done.result() == 503) {
          busy.incrementAndGet();
        } else {
          failed.incrementAndGet();
        }
        next();
      });
  }

  /** Stops the readers and says what they got. */
  Future<String> stop() {
    stopped = true;
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    Histogram histogram = latencies.getIntervalHistogram();
    String summary = String.format("%d " + (promql ? "PromQL" : "API") + " readers: %,d answers (%.0f/s), %,d refused as busy (503), %,d failed; latency p50 %.1f ms,"
        + " p99 %.1f ms, max %.1f ms", readers, answered.get(), answered.get() / seconds, busy.get(), failed.get(),
      histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3, histogram.getMaxValue() / 1e3);
    return client.close().map(summary);
  }
}
