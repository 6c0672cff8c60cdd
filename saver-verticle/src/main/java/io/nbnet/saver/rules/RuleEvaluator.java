package io.nbnet.saver.rules;

import io.nbnet.formats.Sample;
import io.nbnet.formats.Tags;
import io.nbnet.promql.Engine;
import io.nbnet.promql.Labels;
import io.nbnet.promql.Matcher;
import io.nbnet.promql.StoredSeries;
import io.nbnet.promql.Values;
import io.nbnet.rules.AlertingRule;
import io.nbnet.rules.Rule;
import io.nbnet.rules.RuleException;
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
import io.vertx.core.WorkerExecutor;
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
  /** Each round leaves its time here (as Prometheus's meter of that name): a saver taking over sees whether rounds stopped. */
  static final String LAST_ROUND = "nbnet_rule_group_last_evaluation_timestamp_seconds";
  static final String GROUP_LABEL = "rule_group";
  /** A pause in the rounds longer than this (and than three intervals) was nbnet's own outage, not a failover. */
  private static final long OUTAGE_MILLIS = 60_000;

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
  /** The rules' own threads: a slow database keeps them, not the workers that decode writes and answer queries. */
  private final WorkerExecutor workers;
  private Map<Path, String> loadedVersions = Map.of();
  private long reloadTimer = -1;
  private boolean reloading;

  /** A group with its timer, and whether it evaluated since this saver began to lead. */
  private static final class Scheduled {
    RuleGroup group;
    final String key;
    final long intervalMillis;
    long timer = -1;
    boolean running;
    boolean restored;
    /** Each rule's last error (by index), to log a failure once, not every round. */
    final Map<Integer, String> lastErrors = new HashMap<>();
    volatile GroupStatus status;

    Scheduled(RuleGroup group, String key, long intervalMillis) {
      this.group = group;
      this.key = key;
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
    this.workers = vertx.createSharedWorkerExecutor("nbnet-rules", WORKER_THREADS);
  }

  private static final int WORKER_THREADS = 2;

  public void start() {
    reloadTimer = vertx.setPeriodic(1, config.reloadCheckMillis(), id -> reload());
  }

  public Future<Void> stop() {
    vertx.cancelTimer(reloadTimer);
    groups.values().forEach(s -> vertx.cancelTimer(s.timer));
    return leader.release().eventually(notifier::close).eventually(workers::close);
  }

  /** Every group's rules and alerts as this saver last evaluated them, for {@code /api/v1/rules} and {@code /api/v1/alerts}. */
  public List<GroupStatus> status() {
    return groups.values().stream().map(s -> s.status).toList();
  }

  /** What the files held at a check: their versions (time and size) and, when they changed, the rules read from them. */
  private record Reading(Map<Path, String> versions, int files, RuleFiles.Loaded loaded) {
  }

  /**
   * Reads the files again (on the rules' workers) when one was added, removed or changed; keeps the rules
   * it has when the new ones have errors. Not while a round runs: the next check applies it.
   */
  private void reload() {
    if (reloading || groups.values().stream().anyMatch(s -> s.running)) {
      return;
    }
    reloading = true;
    Map<Path, String> known = loadedVersions;
    workers.executeBlocking(() -> read(known), false)
      .onSuccess(reading -> {
        if (reading != null && groups.values().stream().noneMatch(s -> s.running)) {
          apply(reading);
        }
      })
      .onFailure(failure -> log.warning("cannot read the rule files " + config.files() + ": " + failure))
      .onComplete(done -> reloading = false);
  }

  private Reading read(Map<Path, String> known) {
    List<Path> files = RuleFiles.expand(config.files());
    Map<Path, String> versions = new LinkedHashMap<>();
    for (Path file : files) {
      try {
        versions.put(file, Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file));
      } catch (IOException e) {
        versions.put(file, "unreadable");
      }
    }
    return versions.equals(known) ? null : new Reading(versions, files.size(), RuleFiles.load(files));
  }

  private void apply(Reading reading) {
    loadedVersions = reading.versions();
    if (reading.files() == 0) {
      log.warning("saver.rules.files " + config.files() + " match no file: no rules to evaluate");
    }
    if (!reading.loaded().ok()) {
      reading.loaded().errors().forEach(error -> log.warning("rule file refused, the rules before it stay: " + error));
      return;
    }
    Map<String, Scheduled> next = new LinkedHashMap<>();
    for (RuleGroupDefinition definition : reading.loaded().groups()) {
      RuleGroup group = new RuleGroup(definition, config.externalLabels(), config.externalUrl());
      String key = definition.file() + ";" + definition.name();
      Scheduled old = groups.get(key);
      if (old != null) {
        group.copyStateFrom(old.group);
      }
      long interval = definition.intervalMillis() > 0 ? definition.intervalMillis() : config.evaluationIntervalMillis();
      next.put(key, new Scheduled(group, key, interval));
    }
    groups.values().forEach(s -> vertx.cancelTimer(s.timer));
    markRemovedStale(next);
    groups.clear();
    groups.putAll(next);
    groups.values().forEach(s -> s.timer = vertx.setPeriodic(1, s.intervalMillis, id -> tick(s)));
    log.info("rules loaded: " + reading.loaded().ruleCount() + " rules in " + groups.size() + " groups from " + reading.files() + " files");
  }

  /** The series of groups the new files no longer hold end with stale markers (by the leader: it wrote them). */
  private void markRemovedStale(Map<String, Scheduled> next) {
    if (!leader.held()) {
      return;
    }
    long time = System.currentTimeMillis() - config.evaluationDelayMillis();
    List<Sample> markers = new ArrayList<>();
    groups.forEach((key, removed) -> {
      if (!next.containsKey(key)) {
        for (Labels series : removed.group.lastSeries()) {
          try {
            outputs.append(series, time, Values.STALE_NAN);
            markers.add(sample(series, time, Values.STALE_NAN));
          } catch (RuleException e) {
            // a newer sample of the series is there: it lives on elsewhere
          }
        }
      }
    });
    if (!markers.isEmpty()) {
      writer.write(markers).onFailure(failure -> log.warning("stale markers of removed rule groups not stored: " + failure.getMessage()));
    }
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
          // another saver evaluates; if this one leads later, it starts afresh from the for state that one leaves
          scheduled.restored = false;
          if (scheduled.group.lastEvaluation() != 0) {
            scheduled.group = new RuleGroup(scheduled.group.definition(), config.externalLabels(), config.externalUrl());
            scheduled.status = GroupStatus.of(scheduled.group, scheduled.intervalMillis);
          }
          return Future.succeededFuture();
        }
        Future<Void> restored = scheduled.restored ? Future.succeededFuture()
          : holdAfterOutage(scheduled, time).compose(v -> restore(scheduled.group, time));
        return restored.compose(v -> evaluate(scheduled, time));
      })
      .onFailure(failure -> log.warning("rule group " + scheduled.group.name() + " not evaluated: " + failure.getMessage()))
      .onComplete(done -> scheduled.running = false);
  }

  private Future<Void> evaluate(Scheduled scheduled, long time) {
    List<Sample> toStore = new ArrayList<>();
    return workers.executeBlocking(() -> {
      RuleQuery query = (expr, at) -> RuleQuery.of(engine, outputs.over(new StoreSource(context, reader, maxSamples, queryTimeoutMillis)),
        queryTimeoutMillis).at(expr, at);
      scheduled.group.evaluate(time, query, (labels, t, value) -> {
        outputs.append(labels, t, value);
        toStore.add(sample(labels, t, value));
      });
      outputs.forgetBefore(time);
      toStore.add(Sample.numeric(PromNames.RULES_HOST, time, LAST_ROUND, Tags.escaped(Map.of(GROUP_LABEL, scheduled.key)), time / 1000.0));
      JsonArray alerts = new JsonArray();
      for (Rule rule : scheduled.group.rules()) {
        // as Prometheus: a rule whose evaluation failed sends nothing (its alerts lapse rather than fire on stale news)
        if (rule instanceof AlertingRule alerting && rule.lastError() == null) {
          alerting.toSend(time, config.resendDelayMillis(), scheduled.intervalMillis).forEach(a -> alerts.add(notifier.json(a, alerting)));
        }
      }
      scheduled.status = GroupStatus.of(scheduled.group, scheduled.intervalMillis);
      SaverMeters.ruleGroupRounds(scheduled.group.name()).record(scheduled.group.evaluationNanos(), TimeUnit.NANOSECONDS);
      for (int i = 0; i < scheduled.group.rules().size(); i++) {
        Rule rule = scheduled.group.rules().get(i);
        if (rule.lastError() != null) {
          SaverMeters.ruleFailures(scheduled.group.name()).increment();
        }
        // logged when a rule starts failing, fails otherwise, or recovers: not every round
        String before = scheduled.lastErrors.put(i, rule.lastError());
        if (!java.util.Objects.equals(before, rule.lastError())) {
          log.warning("rule " + rule.definition().name() + " of group " + scheduled.group.name()
            + (rule.lastError() == null ? " evaluates again" : " failed: " + rule.lastError()));
        }
      }
      SaverMeters.alertsSent().increment(alerts.size());
      return alerts;
    }, false).compose(alerts -> {
      scheduled.restored = true;
      // not waited for: a slow Alertmanager must not hold the next round back
      notifier.send(alerts);
      Future<?> stored = toStore.isEmpty() ? Future.succeededFuture() : writer.write(toStore);
      return stored.<Void>mapEmpty().recover(failure -> {
        log.warning("rule group " + scheduled.group.name() + ": results not stored: " + failure.getMessage());
        return Future.succeededFuture();
      });
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
   * When the group's rounds stopped for longer than a failover takes (nbnet itself was down), the samples
   * of that time may still be on their way (a spool draining): alerts that become active in this
   * saver's first lookback fire no earlier than its end, so {@code absent()} and thresholds over the gap
   * do not page for nbnet's own outage. A group never evaluated before (a first start) is not held.
   */
  private Future<Void> holdAfterOutage(Scheduled scheduled, long time) {
    List<Matcher> matchers = List.of(new Matcher(Matcher.Type.EQUAL, Labels.METRIC_NAME, LAST_ROUND),
      new Matcher(Matcher.Type.EQUAL, GROUP_LABEL, scheduled.key));
    SampleBudget budget = new SampleBudget(maxSamples, System.nanoTime() + queryTimeoutMillis * 1_000_000);
    long gapAllowed = Math.max(OUTAGE_MILLIS, 3 * scheduled.intervalMillis);
    return reader.select(matchers, time - gapAllowed, time, Tier.RAW, budget)
      .compose(recent -> !recent.isEmpty() ? Future.succeededFuture(false) : reader.seriesLabels(matchers).map(known -> !known.isEmpty()))
      .map(outage -> {
        if (outage) {
          long until = time + Engine.DEFAULT_LOOKBACK_MILLIS;
          log.info("rule group " + scheduled.group.name() + ": no round for over " + gapAllowed / 1000 + " s (nbnet was down): alerts that"
            + " become active now fire from " + java.time.Instant.ofEpochMilli(until) + " on");
          scheduled.group.rules().stream().filter(AlertingRule.class::isInstance)
            .forEach(rule -> ((AlertingRule) rule).holdNewAlertsUntil(until));
        }
        return (Void) null;
      })
      .recover(failure -> {
        log.warning("rule group " + scheduled.group.name() + ": cannot tell whether its rounds stopped: " + failure.getMessage());
        return Future.succeededFuture();
      });
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
    // as Prometheus: a restore that fails is logged, and the rules run on without the old state
    return chain.recover(failure -> {
      log.warning("rule group " + group.name() + ": for state not restored: " + failure.getMessage());
      return Future.succeededFuture();
    });
  }
}
