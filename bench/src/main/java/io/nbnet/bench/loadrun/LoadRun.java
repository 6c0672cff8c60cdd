package io.nbnet.bench.loadrun;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A timed load run against a frame server: opens the connections (spread over the client's event
 * loops), keeps the requested number of requests in flight on each, and collects the figures. It
 * never hangs: a refused connection, a closed connection or a server that stops answering for the
 * reply timeout ends the run with an error.
 */
public final class LoadRun {

  private final Vertx vertx;
  private final LoadRunOptions options;
  private final LoadCounters counters = new LoadCounters();
  private final long startNanos = System.nanoTime();
  private final LoadPlan plan;
  private long lastReplies = -1;
  private long lastProgressNanos = System.nanoTime();

  public LoadRun(Vertx vertx, LoadRunOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.plan = new LoadPlan(options, startNanos);
  }

  public Future<LoadRunResult> start() {
    List<LoadVerticle> verticles = new ArrayList<>();
    int loops = Math.min(options.threads(), options.connections());
    List<Future<String>> deployments = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      int share = options.connections() / loops + (i < options.connections() % loops ? 1 : 0);
      LoadVerticle verticle = new LoadVerticle(plan, counters, share);
      verticles.add(verticle);
      deployments.add(vertx.deployVerticle(verticle, new DeploymentOptions()));
    }
    Promise<LoadRunResult> result = Promise.promise();
    long watchdog = vertx.setPeriodic(100, id -> checkProgress(result));
    Future.all(deployments)
      .recover(failure -> Future.failedFuture("cannot connect to " + options.host() + ":" + options.port() + ": " + failure.getMessage()))
      .compose(v -> {
        List<Future<List<LoadConnection>>> runs = new ArrayList<>();
        verticles.forEach(verticle -> runs.add(verticle.run()));
        return Future.all(runs).map(all -> {
          List<LoadConnection> connections = new ArrayList<>();
          for (int i = 0; i < all.size(); i++) {
            connections.addAll(all.resultAt(i));
          }
          return summarize(connections);
        });
      })
      .onComplete(ar -> {
        if (ar.succeeded()) {
          result.tryComplete(ar.result());
        } else {
          result.tryFail(ar.cause());
        }
      });
    // the caller sees the outcome once the connections are closed, so it may close Vert.x right away
    return result.future().eventually(() -> {
      vertx.cancelTimer(watchdog);
      List<Future<Void>> undeploys = new ArrayList<>();
      deployments.forEach(deployment -> undeploys.add(deployment.succeeded() ? vertx.undeploy(deployment.result()) : Future.succeededFuture()));
      return Future.join(undeploys);
    });
  }

  /** Replies so far, warm-up included. */
  public long replies() {
    return counters.replies.sum();
  }

  public long errors() {
    return counters.errors.sum();
  }

  public boolean inWarmup() {
    return System.nanoTime() < plan.recordFromNanos();
  }

  private void checkProgress(Promise<LoadRunResult> result) {
    long replies = counters.replies.sum();
    long now = System.nanoTime();
    if (replies != lastReplies) {
      lastReplies = replies;
      lastProgressNanos = now;
    } else if (now - lastProgressNanos > options.replyTimeout().toNanos()) {
      result.tryFail("no reply from " + options.host() + ":" + options.port() + " within " + options.replyTimeout().toMillis() + " ms");
    }
  }

  private LoadRunResult summarize(List<LoadConnection> connections) {
    Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    long requests = 0;
    long errors = 0;
    for (LoadConnection connection : connections) {
      latency.add(connection.latencyMicros());
      requests += connection.measuredReplies();
      errors += connection.measuredErrors();
    }
    return new LoadRunResult(options.connections(), options.inFlight(), options.duration().toNanos() / 1e9,
      requests, errors, counters.replies.sum(),
      latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9), latency.getMaxValue());
  }
}
