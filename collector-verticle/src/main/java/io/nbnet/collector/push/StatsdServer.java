package io.nbnet.collector.push;

import io.nbnet.collector.metrics.CollectorMeters;
import io.nbnet.formats.Sample;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * StatsD over UDP ({@code collector.push.statsd}): datagrams summed up by a {@link StatsdAggregator}
 * and flushed every collector interval as one frame through the collector's buffer. UDP has no
 * reply: what is dropped (past {@code maxSeries}, unparsable lines, a full buffer) is counted in
 * {@code nbnet_collector_push_refused_total{format="statsd"}}.
 */
public final class StatsdServer {

  private static final Logger log = Logger.getLogger(StatsdServer.class.getName());

  private final Vertx vertx;
  private final StatsdConfig config;
  private final String host;
  private final Function<List<Sample>, Future<Void>> queue;
  private final StatsdAggregator aggregator;
  private final long intervalMillis;
  private DatagramSocket socket;
  private long timer = -1;
  private long lastFlushNanos = System.nanoTime();

  public StatsdServer(Vertx vertx, StatsdConfig config, String host, long intervalMillis, Function<List<Sample>, Future<Void>> queue) {
    this.vertx = vertx;
    this.config = config;
    this.host = host;
    this.intervalMillis = intervalMillis;
    this.queue = queue;
    this.aggregator = new StatsdAggregator(config.maxSeries(), config.percentiles());
  }

  public Future<Void> listen() {
    timer = vertx.setPeriodic(intervalMillis, id -> flush());
    socket = vertx.createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(4 * 1024 * 1024));
    socket.handler(packet -> aggregator.add(packet.data().toString(StandardCharsets.UTF_8)));
    return socket.listen(config.port(), config.host()).map(s -> {
      log.info("statsd listening on " + config.host() + ":" + s.localAddress().port() + " (UDP)");
      return null;
    });
  }

  public int actualPort() {
    return socket.localAddress().port();
  }

  public Future<Void> close() {
    vertx.cancelTimer(timer);
    return socket == null ? Future.succeededFuture() : socket.close();
  }

  private void flush() {
    long now = System.nanoTime();
    List<Sample> samples = aggregator.flush(host, System.currentTimeMillis(), (now - lastFlushNanos) / 1e9);
    lastFlushNanos = now;
    count("too_many_series", aggregator.takeDropped());
    count("invalid", aggregator.takeInvalid());
    if (samples.isEmpty()) {
      return;
    }
    queue.apply(samples).onComplete(done -> {
      if (done.succeeded()) {
        CollectorMeters.pushedSamples("statsd").increment(samples.size());
      } else {
        count("buffer_full", samples.size());
      }
    });
  }

  private static void count(String reason, long n) {
    if (n > 0) {
      CollectorMeters.pushRefused("statsd", reason).increment(n);
    }
  }
}
