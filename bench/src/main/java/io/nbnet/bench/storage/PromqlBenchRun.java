package io.nbnet.bench.storage;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times each shape's queries on Prometheus and on nbnet, alternately, as Grafana sends them (a POSTed
 * {@code query_range}), and checks that both answer the same series and points. The client is Vert.x's,
 * one kept-alive connection per server, each request timed on its event loop from sending to the
 * last byte of the answer: its own cost is the floor it prints (a {@code buildinfo} GET), well under
 * either server's answer to a query.
 */
final class PromqlBenchRun {

  private static final Pattern TIMING = Pattern.compile("(\\w+);dur=([0-9.]+)");

  private final HttpClientAgent http;
  /** Every request is made on this one context: from the bench's own thread, each call would make a context of its own. */
  private final Context context;
  private final int prometheusPort;
  private final int nbnetPort;
  private final int runs;
  private final int warmUps;

  /** @param warmUps runs of each shape on each side before the measured ones: the saver's JIT compiles the hot path meanwhile */
  PromqlBenchRun(Vertx vertx, int prometheusPort, int nbnetPort, int runs, int warmUps) {
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDefaultHost("127.0.0.1"),
      new PoolOptions().setHttp1MaxSize(1));
    this.context = vertx.getOrCreateContext();
    this.prometheusPort = prometheusPort;
    this.nbnetPort = nbnetPort;
    this.runs = runs;
    this.warmUps = warmUps;
  }

  void measure(List<PromqlShapes.Shape> shapes) throws Exception {
    // a thousand each: the client's own hot path is compiled by the time the median is taken
    double[] floorPrometheus = new double[1000];
    double[] floorNbnet = new double[1000];
    for (int i = 0; i < floorNbnet.length; i++) {
      floorPrometheus[i] = timed(prometheusPort, "/api/v1/status/buildinfo", null).millis;
      floorNbnet[i] = timed(nbnetPort, "/api/v1/status/buildinfo", null).millis;
    }
    System.out.printf("client floor (GET buildinfo, p50): Prometheus %.2f ms, nbnet %.2f ms%n", percentile(floorPrometheus, 50),
      percentile(floorNbnet, 50));
    System.out.printf("%-70s %10s %10s %10s %10s %7s  %s%n", "shape", "prom p50", "prom p99", "nbnet p50", "nbnet p99", "p50 x",
      "nbnet's time (median per run): fetch (MySQL, decoding) / eval / encode");
    for (PromqlShapes.Shape shape : shapes) {
      for (int i = 0; i < warmUps; i++) {
        run(prometheusPort, shape);
        run(nbnetPort, shape);
      }
      double[] prometheus = new double[runs];
      double[] nbnet = new double[runs];
      double[][] split = new double[3][runs];
      for (int r = 0; r < runs; r++) {
        prometheus[r] = run(prometheusPort, shape).millis;
        Timed ours = run(nbnetPort, shape);
        nbnet[r] = ours.millis;
        split[0][r] = ours.fetch;
        split[1][r] = ours.eval;
        split[2][r] = ours.encode;
      }
      String agreement = agree(shape);
      System.out.printf("%-70s %8.1f ms %8.1f ms %8.1f ms %8.1f ms %6.2fx  %.1f / %.1f / %.1f ms%s%n", shape.name(),
        percentile(prometheus, 50), percentile(prometheus, 99), percentile(nbnet, 50), percentile(nbnet, 99),
        percentile(nbnet, 50) / percentile(prometheus, 50), percentile(split[0], 50), percentile(split[1], 50), percentile(split[2], 50),
        agreement);
    }
  }

  /** Both sides' answers to the shape's queries: the same series with the same number of points, or what differs. */
  private String agree(PromqlShapes.Shape shape) throws Exception {
    for (PromqlShapes.Query query : shape.queries()) {
      JsonArray theirs = new JsonObject(timed(prometheusPort, "/api/v1/query_range", form(query)).body).getJsonObject("data").getJsonArray("result");
      JsonArray ours = new JsonObject(timed(nbnetPort, "/api/v1/query_range", form(query)).body).getJsonObject("data").getJsonArray("result");
      if (theirs.size() != ours.size()) {
        return "  (answers differ: " + ours.size() + " series where Prometheus has " + theirs.size() + " for " + query.expr() + ")";
      }
      long theirPoints = 0;
      long ourPoints = 0;
      for (int i = 0; i < theirs.size(); i++) {
        theirPoints += theirs.getJsonObject(i).getJsonArray("values").size();
        ourPoints += ours.getJsonObject(i).getJsonArray("values").size();
      }
      if (theirPoints != ourPoints) {
        return "  (answers differ: " + ourPoints + " points where Prometheus has " + theirPoints + " for " + query.expr() + ")";
      }
    }
    return "  (same series and points)";
  }

  private Timed run(int port, PromqlShapes.Shape shape) throws Exception {
    Timed total = new Timed();
    for (PromqlShapes.Query query : shape.queries()) {
      Timed one = timed(port, "/api/v1/query_range", form(query));
      if (one.status != 200) {
        throw new IllegalStateException("port " + port + " answered " + one.status + " to " + query.expr() + ": " + one.body);
      }
      total.millis += one.millis;
      total.fetch += one.fetch;
      total.eval += one.eval;
      total.encode += one.encode;
    }
    return total;
  }

  private static String form(PromqlShapes.Query query) {
    return "query=" + URLEncoder.encode(query.expr(), StandardCharsets.UTF_8) + "&start=" + query.start() / 1000.0 + "&end="
      + query.end() / 1000.0 + "&step=" + query.step() / 1000.0;
  }

  private Timed timed(int port, String path, String form) throws Exception {
    RequestOptions options = new RequestOptions().setPort(port).setURI(path).setMethod(form == null ? HttpMethod.GET : HttpMethod.POST)
      .setIdleTimeout(60_000);
    if (form != null) {
      options.putHeader("Content-Type", "application/x-www-form-urlencoded");
    }
    long[] began = new long[1];
    Promise<Timed> answered = Promise.promise();
    context.runOnContext(v -> http.request(options).compose(request -> {
      began[0] = System.nanoTime();
      return form == null ? request.send() : request.send(form);
    }).compose(response -> response.body().map(body -> {
      Timed timed = new Timed();
      timed.millis = (System.nanoTime() - began[0]) / 1e6;
      timed.status = response.statusCode();
      timed.body = body.toString(StandardCharsets.UTF_8);
      String serverTiming = response.getHeader("Server-Timing");
      Matcher parts = TIMING.matcher(serverTiming == null ? "" : serverTiming);
      while (parts.find()) {
        double millis = Double.parseDouble(parts.group(2));
        switch (parts.group(1)) {
          case "fetch" -> timed.fetch = millis;
          case "eval" -> timed.eval = millis;
          case "encode" -> timed.encode = millis;
          default -> {
            // another server's timing
          }
        }
      }
      return timed;
    })).onComplete(answered));
    return answered.future().toCompletionStage().toCompletableFuture().get();
  }

  private static double percentile(double[] values, double percentile) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** One request's or one shape's time, and nbnet's split of it. */
  private static final class Timed {
    double millis;
    double fetch;
    double eval;
    double encode;
    int status;
    String body;
  }
}
