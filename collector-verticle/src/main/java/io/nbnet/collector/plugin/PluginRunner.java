package io.nbnet.collector.plugin;

import io.micrometer.core.instrument.Meter;
import io.nbnet.collector.metrics.CollectorMeters;
import io.nbnet.exec.CommandResult;
import io.nbnet.exec.ExecClient;
import io.nbnet.formats.Sample;
import io.nbnet.formats.parsers.ParsedSamples;
import io.nbnet.formats.parsers.SampleDefaults;
import io.nbnet.support.metrics.NbnetMeters;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Runs one plugin on its interval through the exec service and hands its samples on. Never two runs
 * of one plugin at once: a tick that finds the previous run still going is skipped and counted.
 * A failed run (non-zero exit, timeout, unreadable lines) is logged with the tail of its stderr and
 * counted; the other plugins and the built-in metrics carry on.
 */
public final class PluginRunner {

  private static final Logger log = Logger.getLogger(PluginRunner.class.getName());
  private static final int STDERR_TAIL_CHARS = 300;

  private final Vertx vertx;
  private final PluginConfig plugin;
  private final ExecClient exec;
  private final String host;
  private final Consumer<List<Sample>> output;
  private final PluginStats stats = new PluginStats();
  private final List<Meter> meters = new ArrayList<>();
  private boolean running;
  private long timer = -1;
  /** Runs that end after {@link #stop} (the exec service may be stopping too) are not reported. */
  private boolean stopped;

  public PluginRunner(Vertx vertx, PluginConfig plugin, ExecClient exec, String host, Consumer<List<Sample>> output) {
    this.vertx = vertx;
    this.plugin = plugin;
    this.exec = exec;
    this.host = host;
    this.output = output;
  }

  public void start() {
    meters.addAll(CollectorMeters.plugin(plugin.name(), stats));
    timer = vertx.setPeriodic(1, plugin.intervalMillis(), id -> tick());
  }

  /** Stops the runs and removes the plugin's meters: a reload registers its new runner's own. */
  public void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    meters.forEach(NbnetMeters.registry()::remove);
    meters.clear();
  }

  public PluginStats stats() {
    return stats;
  }

  public String name() {
    return plugin.name();
  }

  private void tick() {
    if (running) {
      stats.skipped++;
      log.fine(() -> "plugin " + plugin.name() + ": previous run still going, tick skipped (" + stats.skipped + " so far)");
      return;
    }
    running = true;
    stats.runs++;
    long startedAt = System.currentTimeMillis();
    exec.run(plugin.request()).onComplete(ar -> {
      running = false;
      if (stopped) {
        return;
      }
      if (ar.failed()) {
        fail("did not run: " + ar.cause().getMessage());
      } else {
        onResult(ar.result(), startedAt);
      }
    });
  }

  private void onResult(CommandResult result, long startedAt) {
    if (result.error() != null) {
      fail(result.error());
      return;
    }
    String stdout = result.stdout();
    if (result.timedOut()) {
      // what it printed whole is kept; a line the kill cut short could hold a truncated number, so it is dropped
      stdout = stdout.substring(0, stdout.lastIndexOf('\n') + 1);
    }
    ParsedSamples parsed = plugin.format().parser().parse(stdout, new SampleDefaults(host, startedAt));
    stats.badLines += parsed.badParts();
    stats.samples += parsed.samples().size();
    if (!parsed.samples().isEmpty()) {
      output.accept(parsed.samples());
    }
    if (result.timedOut()) {
      stats.timeouts++;
      fail("timed out after " + plugin.timeoutMillis() + " ms (" + parsed.samples().size() + " samples it printed kept); stderr: "
        + result.stderrTail(STDERR_TAIL_CHARS));
    } else if (result.exitCode() != 0) {
      fail("exited with " + result.exitCode() + "; stderr: " + result.stderrTail(STDERR_TAIL_CHARS));
    } else if (!parsed.isClean()) {
      fail(parsed.badParts() + " unreadable part(s), first: " + parsed.firstProblem().orElse("") + "; stderr: "
        + result.stderrTail(STDERR_TAIL_CHARS));
    }
  }

  private void fail(String problem) {
    stats.failures++;
    log.warning("plugin " + plugin.name() + " failed (" + stats.failures + " failures so far): " + problem);
  }
}
