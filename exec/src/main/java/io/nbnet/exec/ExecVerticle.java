package io.nbnet.exec;

import io.micrometer.core.instrument.Counter;
import io.nbnet.exec.metrics.ExecMeters;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The exec service: takes {@link CommandRequest}s as JSON on its event-bus address and replies with a
 * {@link CommandResult}. Commands run on a worker executor this verticle owns, {@code maxConcurrent}
 * at a time, so no event loop ever waits for a process; past {@code maxConcurrent + maxQueued}
 * requests in progress a new one is refused at once (failure code {@link #REFUSED}).
 */
public class ExecVerticle extends VerticleBase {

  public static final int REFUSED = 429;

  private static final Logger log = Logger.getLogger(ExecVerticle.class.getName());

  private final ExecConfig config;
  private WorkerExecutor workers;
  private CommandRunner runner;
  private MessageConsumer<JsonObject> consumer;
  private int inProgress;
  /** Completed once a stop has no command in progress: only then may the workers and readers go. */
  private Promise<Void> idle;

  public ExecVerticle(ExecConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    // a command may legitimately run for its whole timeout: the blocked-thread checker should not cry before
    workers = vertx.createSharedWorkerExecutor("nbnet-exec@" + config.name() + "@" + config.address(), config.maxConcurrent(),
      config.timeoutMillis() + 30_000, TimeUnit.MILLISECONDS);
    runner = new CommandRunner();
    consumer = vertx.eventBus().localConsumer(config.address(), this::onRequest);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    // a run that ended after its event loop closed would throw on the worker thread; end the runs first
    idle = Promise.promise();
    runner.endAll();
    if (inProgress == 0) {
      idle.complete();
    }
    return consumer.unregister().eventually(idle::future).eventually(() -> {
      runner.close();
      return workers.close();
    });
  }

  private Counter commands(String outcome) {
    return ExecMeters.commands(config.name(), outcome);
  }

  private static String outcome(CommandResult result) {
    if (result.error() != null) {
      return "not_started";
    }
    if (result.timedOut()) {
      return "timeout";
    }
    return result.exitCode() == 0 ? "ok" : "failed";
  }

  private void onRequest(Message<JsonObject> message) {
    CommandRequest request;
    try {
      request = CommandRequest.fromJson(message.body(), config.timeoutMillis(), config.maxOutputBytes());
    } catch (IllegalArgumentException | ClassCastException e) {
      message.fail(400, "bad command request: " + e.getMessage());
      return;
    }
    if (inProgress >= config.maxConcurrent() + config.maxQueued()) {
      log.warning("refused " + request.argv().get(0) + ": " + inProgress + " commands in progress, the limit is "
        + config.maxConcurrent() + " running + " + config.maxQueued() + " waiting");
      commands("refused").increment();
      message.fail(REFUSED, "too many commands: " + inProgress + " in progress (" + config.maxConcurrent() + " running + "
        + config.maxQueued() + " waiting at most)");
      return;
    }
    inProgress++;
    workers.executeBlocking(() -> runner.run(request), false).onComplete(ar -> {
      inProgress--;
      if (idle != null && inProgress == 0) {
        idle.tryComplete();
      }
      if (ar.succeeded()) {
        commands(outcome(ar.result())).increment();
        message.reply(ar.result().toJson());
      } else if (ar.cause() instanceof RejectedExecutionException) {
        message.fail(REFUSED, "the exec service is stopping");
      } else {
        message.fail(500, "command failed to run: " + ar.cause());
      }
    });
  }
}
