package io.nbnet.saver.rules;

import io.nbnet.formats.Sample;
import io.nbnet.formats.Tags;
import io.nbnet.promql.Engine;
import io.nbnet.promql.Labels;
import io.nbnet.promql.Matcher;
import io.nbnet.promql.StoredSeries;
import io.nbnet.rules.AlertingRule;
import io.nbnet.rules.Rule;
import io.nbnet.rules.RuleFiles;
import io.nbnet.rules.RuleGroup;
import io.nbnet.rules.RuleGroupDefinition;
import io.nbnet.rules.RuleQuery;
import io.nbnet.saver.RulesConfig;
import io.nbnet.saver.http.SampleWriter;
import io.nbnet.saver.metrics.SaverMeters;
import io.nbnet.saver.promql.PromNames;
import io.nbnet.saver.promql.SampleBudget;
import io.nbnet.saver.query.SeriesReader;
import io.nbnet.store.Leadership;
import io.nbnet.store.Tier;
import io.nbnet.remotewrite.PromNaming;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Evaluates {@code saver.rules}: every group on its interval, on a worker thread, at the round's time
 * minus {@code evaluationDelayMs}. One saver evaluates, the holder of the store's {@code rules}
 * {@link Leadership}; one that takes over first restores each alert's {@code for} state from the
 * {@code ALERTS_FOR_STATE} series the last one stored, so pending and firing alerts survive a failover.
 * Results (recorded series, {@code ALERTS}, {@code ALERTS_FOR_STATE}, stale markers) are stored as
 * samples, under their {@code host} label or {@link PromNames#RULES_HOST}; alerts go to every
 * Alertmanager. The files are read again when they change; a file with errors is refused (each error
 * logged with its line and column) and the rules before it stay.
 */
public final class RuleEvaluator {

  private static final Logger log = Logger.getLogger(RuleEvaluator.class.getName());

  private final Vertx vertx;
  private final Context context;
  private final RulesConfig config;
  private final SeriesReader reader;
  private final SampleWriter writer;
  private final Leadership leader;
  private final Engine engine;
  private final long queryTimeoutMillis;
  private final long maxSamples;
  private final RuleOutputs outputs = new RuleOutputs(Engine.DEFAULT_LOOKBACK_MILLIS * 2);
  private final AlertNotifier notifier;
  private final Map<String, Scheduled> groups = new LinkedHashMap<>();
  private Map<Path, String> loadedVersions = Map.of();
  private long reloadTimer = -1;

  /** A group with its timer, and whether it evaluated since this saver began to lead. */
  private static final class Scheduled {
    final RuleGroup group;
    final long intervalMillis;
    long timer = -1;
    boolean running;
    boolean restored;
    volatile GroupStatus status;

    Scheduled(RuleGroup group, long intervalMillis) {
      this.group = group;
      this.intervalMillis = intervalMillis;
      this.status = GroupStatus.of(group, intervalMillis);
    }
  }

  public RuleEvaluator(Vertx vertx, RulesConfig config, SeriesReader reader, SampleWriter writer, Leadership leader, long maxSamples,
                       long queryTimeoutMillis) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.config = config;
    this.reader = reader;
    this.writer = writer;
    this.leader = leader;
    this.maxSamples = maxSamples;
    this.queryTimeoutMillis = queryTimeoutMillis;
    this.engine = new Engine(Engine.DEFAULT_LOOKBACK_MILLIS, maxSamples, config.evaluationIntervalMillis());
    this.notifier = new AlertNotifier(vertx, config);
  }

  public void start() {
    reload();
    reloadTimer = vertx.setPeriodic(config.reloadCheckMillis(), id -> reload());
  }

  public Future<Void> stop() {
    vertx.cancelTimer(reloadTimer);
    groups.values().forEach(s -> vertx.cancelTimer(s.timer));
    return leader.release().eventually(notifier::close);
  }

  /** Every group's rules and alerts as this saver last evaluated them, for {@code /api/v1/rules} and {@code /api/v1/alerts}. */
  public List<GroupStatus> status() {
    return groups.values().stream().map(s -> s.status).toList();
  }

  /** Reads the files again when one was added, removed or changed; keeps the rules it has when the new ones have errors. */
  private void reload() {
    List<Path> files = RuleFiles.expand(config.files());
    Map<Path, String> versions = new LinkedHashMap<>();
    for (Path file : files) {
      try {
        versions.put(file, Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file));
      } catch (IOException e) {
        versions.put(file, "unreadable");
      }
    }
    if (versions.equals(loadedVersions)) {
      return;
    }
    loadedVersions = versions;
    if (files.isEmpty()) {
      log.warning("saver.rules.files " + config.files() + " match no file: no rules to evaluate");
    }
    RuleFiles.Loaded loaded = RuleFiles.load(files);
    if (!loaded.ok()) {
      loaded.errors().forEach(error -> log.warning("rule file refused, the rules before it stay: " + error));
      return;
    }
    Map<String, Scheduled> next = new LinkedHashMap<>();
    for (RuleGroupDefinition definition : loaded.groups()) {
      RuleGroup group = new RuleGroup(definition, config.externalLabels(), config.externalUrl());
      String key = definition.file() + ";" + definition.name();
      Scheduled old = groups.get(key);
      if (old != null) {
        group.copyStateFrom(old.group);
      }
      long interval = definition.intervalMillis() > 0 ? definition.intervalMillis() : config.evaluationIntervalMillis();
      next.put(key, new Scheduled(group, interval));
    }
    groups.values().forEach(s -> vertx.cancelTimer(s.timer));
    groups.clear();
    groups.putAll(next);
    groups.values().forEach(s -> s.timer = vertx.setPeriodic(1, s.intervalMillis, id -> tick(s)));
    log.info("rules loaded: " + loaded.ruleCount() + " rules in " + groups.size() + " groups from " + files.size() + " files");
  }

  private void tick(Scheduled scheduled) {
    if (scheduled.running) {
      SaverMeters.ruleGroupMissed(scheduled.group.name()).increment();
      return;
    }
    scheduled.running = true;
    long time = System.currentTimeMillis() - config.evaluationDelayMillis();
    leader.lead()
      .compose(leading -> {
        if (!leading) {
          // another saver evaluates; if this one leads later, it restores the for state that one leaves
          scheduled.restored = false;
          return Future.succeededFuture();
        }
        Future<Void> restored = scheduled.restored ? Future.succeededFuture() : restore(scheduled.group, time);
        return restored.compose(v -> evaluate(scheduled, time));
      })
      .onFailure(failure -> log.warning("rule group " + scheduled.group.name() + " not evaluated: " + failure.getMessage()))
      .onComplete(done -> scheduled.running = false);
  }

  private Future<Void> evaluate(Scheduled scheduled, long time) {
    List<Sample> toStore = new ArrayList<>();
    return vertx.executeBlocking(() -> {
      RuleQuery query = (expr, at) -> RuleQuery.of(engine, outputs.over(new StoreSource(context, reader, maxSamples, queryTimeoutMillis)),
        queryTimeoutMillis).at(expr, at);
      scheduled.group.evaluate(time, query, (labels, t, value) -> {
        outputs.append(labels, t, value);
        toStore.add(sample(labels, t, value));
      });
      outputs.forgetBefore(time);
      JsonArray alerts = new JsonArray();
      for (Rule rule : scheduled.group.rules()) {
        if (rule instanceof AlertingRule alerting) {
          alerting.toSend(time, config.resendDelayMillis(), scheduled.intervalMillis).forEach(a -> alerts.add(notifier.json(a, alerting)));
        }
      }
      scheduled.status = GroupStatus.of(scheduled.group, scheduled.intervalMillis);
      SaverMeters.ruleGroupRounds(scheduled.group.name()).record(scheduled.group.evaluationNanos(), TimeUnit.NANOSECONDS);
      long failed = scheduled.group.rules().stream().filter(rule -> rule.lastError() != null).count();
      if (failed > 0) {
        SaverMeters.ruleFailures(scheduled.group.name()).increment(failed);
        scheduled.group.rules().stream().filter(rule -> rule.lastError() != null).forEach(rule -> log.fine(() -> "rule "
          + rule.definition().name() + " of group " + scheduled.group.name() + " failed: " + rule.lastError()));
      }
      SaverMeters.alertsSent().increment(alerts.size());
      return alerts;
    }, false).compose(alerts -> {
      scheduled.restored = true;
      Future<?> stored = toStore.isEmpty() ? Future.succeededFuture() : writer.write(toStore);
      return Future.all(stored.recover(failure -> {
        log.warning("rule group " + scheduled.group.name() + ": results not stored: " + failure.getMessage());
        return Future.succeededFuture();
      }), notifier.send(alerts)).mapEmpty();
    });
  }

  /** The sample a rule's result is stored as: its host label, or the rules' own host; the other labels as tags. */
  private static Sample sample(Labels labels, long time, double value) {
    Map<String, String> tags = new TreeMap<>(labels.toMap());
    String metric = tags.remove(Labels.METRIC_NAME);
    String host = tags.remove(PromNaming.HOST);
    return Sample.numeric(host == null ? PromNames.RULES_HOST : host, time, metric, Tags.escaped(tags), value);
  }

  /**
   * Reads the {@code ALERTS_FOR_STATE} series the last evaluator stored (within {@code outageToleranceMs})
   * and hands each alerting rule when its alerts became active.
   */
  private Future<Void> restore(RuleGroup group, long time) {
    Future<Void> chain = Future.succeededFuture();
    for (Rule rule : group.rules()) {
      if (!(rule instanceof AlertingRule alerting)) {
        continue;
      }
      List<Matcher> matchers = List.of(new Matcher(Matcher.Type.EQUAL, Labels.METRIC_NAME, AlertingRule.ALERTS_FOR_STATE),
        new Matcher(Matcher.Type.EQUAL, AlertingRule.ALERT_NAME, rule.definition().name()));
      SampleBudget budget = new SampleBudget(maxSamples, System.nanoTime() + queryTimeoutMillis * 1_000_000);
      chain = chain.compose(v -> reader.select(matchers, time - config.outageToleranceMillis(), time, Tier.RAW, budget)
        .map(series -> {
          Map<Labels, Long> activeAt = new HashMap<>();
          for (StoredSeries stored : series) {
            double[] values = stored.values();
            if (values.length > 0 && Double.isFinite(values[values.length - 1])) {
              activeAt.put(stored.labels().withoutMetricName(), (long) (values[values.length - 1] * 1000));
            }
          }
          if (!activeAt.isEmpty()) {
            alerting.restore(activeAt);
            log.info("rule " + rule.definition().name() + ": for state of " + activeAt.size() + " alert(s) taken over");
          }
          return (Void) null;
        }));
    }
    return chain;
  }
}
