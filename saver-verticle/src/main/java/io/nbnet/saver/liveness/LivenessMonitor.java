package io.nbnet.saver.liveness;

import io.micrometer.core.instrument.Gauge;
import io.nbnet.saver.LivenessConfig;
import io.nbnet.saver.metrics.SaverMeters;
import io.nbnet.saver.promql.PromNames;
import io.nbnet.store.HostState;
import io.nbnet.store.HostStatus;
import io.nbnet.store.Leadership;
import io.nbnet.store.Store;
import io.nbnet.support.metrics.NbnetMeters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Which hosts report, are late or went silent, from when each was last heard (the hosts table, which
 * every saver updates in batches). Every saver counts them for {@code nbnet_hosts{status}}; one, the
 * holder of the store's {@code liveness} {@link Leadership}, records the changes, logs them and sends alerts, so several savers raise
 * each alert once. When many hosts go silent in the same check (more than {@code groupShare} of them:
 * a relay or the network went away), one grouped alert names them all instead of one alert each.
 * A host is silent only for time this saver was up to hear it: one last heard before the saver started
 * counts as heard at the start (unless it was already recorded silent), so a restart after an outage
 * does not page for the whole fleet and resolve it a moment later.
 */
public final class LivenessMonitor {

  private static final Logger log = Logger.getLogger(LivenessMonitor.class.getName());
  private static final int NAMES_IN_A_SUMMARY = 20;

  private final Vertx vertx;
  private final Store store;
  private final LivenessConfig config;
  private final StatusRule rule;
  private final Leadership leader;
  private final Optional<AlertSender> alerts;
  private final Map<HostStatus, AtomicLong> counts = new EnumMap<>(HostStatus.class);
  private final List<Gauge> gauges = new ArrayList<>();
  /** Grouped alerts this saver raised, by their start, with the hosts of each still silent. */
  private final Map<Long, Set<String>> groups = new HashMap<>();
  private long timer = -1;
  private boolean running;
  private long lastResent = System.currentTimeMillis();
  private final long upSince;

  /** {@code upSince}: when this saver began to hear hosts (its start). */
  public LivenessMonitor(Vertx vertx, Store store, LivenessConfig config, long upSince) {
    this.vertx = vertx;
    this.upSince = upSince;
    this.store = store;
    this.config = config;
    this.rule = new StatusRule(config, Store.ACTIVITY_RECORD_LAG_MILLIS);
    this.leader = store.leadership("liveness", "checks which hosts went silent");
    this.alerts = config.webhook().map(uri -> new AlertSender(vertx, uri));
    for (HostStatus status : HostStatus.values()) {
      AtomicLong count = new AtomicLong();
      counts.put(status, count);
      gauges.add(SaverMeters.hosts(status, count::get));
    }
  }

  public void start() {
    timer = vertx.setPeriodic(1, config.checkMillis(), id -> check());
  }

  public Future<Void> stop() {
    vertx.cancelTimer(timer);
    gauges.forEach(NbnetMeters.registry()::remove);
    return leader.release().eventually(() -> alerts.map(AlertSender::close).orElse(Future.succeededFuture()));
  }

  /** One evaluation of every host; the leader records and reports what changed. */
  public Future<Void> check() {
    if (running) {
      return Future.succeededFuture();
    }
    running = true;
    long now = System.currentTimeMillis();
    return store.hostStates()
      .compose(hosts -> {
        List<Change> changes = new ArrayList<>();
        Map<String, Long> stillSilent = new HashMap<>();
        Map<HostStatus, Long> counted = new EnumMap<>(HostStatus.class);
        for (HostState host : hosts) {
          if (host.host().equals(PromNames.RULES_HOST)) {
            continue; // written by the rules when they evaluate, not a machine that can go silent
          }
          // the time nbnet itself was down is not the host's silence; a host already silent stays so until it reports
          long heard = host.status() == HostStatus.SILENT ? host.lastReceived() : Math.max(host.lastReceived(), upSince);
          HostStatus status = rule.of(now, heard, host.intervalMillis());
          counted.merge(status, 1L, Long::sum);
          if (status == HostStatus.SILENT && host.status() == HostStatus.SILENT) {
            stillSilent.put(host.host(), host.statusSince());
          }
          if (status != host.status()) {
            changes.add(new Change(host.host(), host.status(), host.statusSince(), status,
              rule.since(status, heard, host.intervalMillis()), host.lastReceived()));
          }
        }
        counts.forEach((status, count) -> count.set(counted.getOrDefault(status, 0L)));
        boolean resendDue = alerts.isPresent() && config.resendMillis() > 0 && !stillSilent.isEmpty()
          && now - lastResent >= config.resendMillis();
        if (changes.isEmpty() && !resendDue) {
          return Future.succeededFuture();
        }
        long total = counted.values().stream().mapToLong(Long::longValue).sum();
        return leader.lead().compose(leading -> !leading ? Future.succeededFuture()
          : record(changes, total, now).compose(v -> resendDue ? resend(stillSilent, now) : Future.succeededFuture()));
      })
      .onFailure(failure -> log.warning("cannot check which hosts report now: " + failure.getMessage()))
      .eventually(() -> {
        running = false;
        return Future.succeededFuture();
      })
      .mapEmpty();
  }

  /** A host's move from one status (entered at {@code fromSince}) to another (entered at {@code since}). */
  private record Change(String host, HostStatus from, long fromSince, HostStatus to, long since, long lastReceived) {
  }

  private Future<Void> record(List<Change> changes, long hosts, long now) {
    if (changes.isEmpty()) {
      return Future.succeededFuture();
    }
    List<HostState.Change> recorded = changes.stream().map(change -> new HostState.Change(change.host(), change.to(), change.since())).toList();
    return store.recordStatuses(recorded).compose(v -> {
      List<Change> silenced = changes.stream().filter(c -> c.to() == HostStatus.SILENT).toList();
      List<Change> back = changes.stream().filter(c -> c.from() == HostStatus.SILENT).toList();
      silenced.forEach(c -> log.warning("host " + c.host() + " went silent: nothing from it since " + Instant.ofEpochMilli(c.lastReceived())));
      back.forEach(c -> log.info("host " + c.host() + " reports again after " + Math.max(0, c.lastReceived() - c.fromSince()) / 1000
        + " s silent"));
      return alerts.map(sender -> sender.send(alertsFor(silenced, back, hosts, now))).orElse(Future.succeededFuture());
    });
  }

  /**
   * Alertmanager forgets an alert not sent again within its resolve_timeout (5 minutes by default):
   * the hosts still silent are alerted again every {@code resendMs}, as Prometheus does.
   */
  private Future<Void> resend(Map<String, Long> stillSilent, long now) {
    lastResent = now;
    List<AlertSender.Alert> again = new ArrayList<>();
    Set<Long> groupsSent = new HashSet<>();
    stillSilent.forEach((host, since) -> {
      Optional<Map.Entry<Long, Set<String>>> group = groups.entrySet().stream().filter(e -> e.getValue().contains(host)).findFirst();
      if (group.isEmpty()) {
        again.add(hostAlert(host, since, null));
      } else if (groupsSent.add(group.get().getKey())) {
        again.add(groupAlert(group.get().getKey(), group.get().getValue(), null));
      }
    });
    return alerts.map(sender -> sender.send(again)).orElse(Future.succeededFuture());
  }

  private List<AlertSender.Alert> alertsFor(List<Change> silenced, List<Change> back, long hosts, long now) {
    List<AlertSender.Alert> alertsToSend = new ArrayList<>();
    if (silenced.size() > 1 && silenced.size() > config.groupShare() * hosts) {
      long startsAt = silenced.stream().mapToLong(Change::since).min().orElse(now);
      Set<String> names = new HashSet<>();
      silenced.forEach(c -> names.add(c.host()));
      groups.put(startsAt, names);
      alertsToSend.add(groupAlert(startsAt, names, null));
    } else {
      for (Change c : silenced) {
        alertsToSend.add(hostAlert(c.host(), c.since(), null));
      }
    }
    for (Change c : back) {
      Optional<Map.Entry<Long, Set<String>>> group = groups.entrySet().stream().filter(e -> e.getValue().contains(c.host())).findFirst();
      if (group.isPresent()) {
        Set<String> stillSilent = group.get().getValue();
        stillSilent.remove(c.host());
        if (stillSilent.isEmpty()) {
          groups.remove(group.get().getKey());
          alertsToSend.add(groupAlert(group.get().getKey(), Set.of(), now));
        }
      } else {
        // alerted alone, or in a group raised by a saver that led before this one: resolve it alone
        alertsToSend.add(hostAlert(c.host(), c.fromSince(), now));
      }
    }
    return alertsToSend;
  }

  private static AlertSender.Alert hostAlert(String host, long startsAt, Long endsAt) {
    return new AlertSender.Alert("NbnetHostSilent", new JsonObject().put("host", host),
      endsAt == null ? "host " + host + " sends nothing" : "host " + host + " reports again", startsAt, endsAt);
  }

  private static AlertSender.Alert groupAlert(long startsAt, Set<String> hosts, Long endsAt) {
    List<String> sorted = hosts.stream().sorted().toList();
    String names = String.join(", ", sorted.subList(0, Math.min(NAMES_IN_A_SUMMARY, sorted.size())))
      + (sorted.size() > NAMES_IN_A_SUMMARY ? " and " + (sorted.size() - NAMES_IN_A_SUMMARY) + " more" : "");
    return new AlertSender.Alert("NbnetHostsSilent", new JsonObject().put("group", Instant.ofEpochMilli(startsAt).toString()),
      endsAt == null ? hosts.size() + " hosts went silent together: " + names : "the hosts that went silent together report again",
      startsAt, endsAt);
  }
}
