package io.nbnet.saver;

import io.nbnet.support.config.ConfigView;
import io.nbnet.support.config.HttpReceiver;
import io.nbnet.wire.tls.ClientTls;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code saver.rules}: Prometheus rule files the saver evaluates, and where alerts go.
 *
 * @param files                    rule files, globs allowed ({@code conf/rules/*.yml}); none: no rules
 * @param evaluationIntervalMillis a group's interval when it names none
 * @param evaluationDelayMillis    a round evaluates at its time minus this, so samples still on their way count:
 *                                 default {@code samples.flushMs} + 2 s (a frame's trip from collector through trans to its commit)
 * @param resendDelayMillis        a firing alert is sent again this often (Prometheus: 1 minute)
 * @param outageToleranceMillis    {@code for} state older than this is not restored by a saver taking over
 * @param reloadCheckMillis        how often the files are checked for changes
 * @param externalLabels           added to alerts sent to Alertmanager, and {@code $externalLabels} in templates
 * @param externalUrl              {@code $externalURL} in templates; the start of each alert's {@code generatorURL}
 * @param alertmanagers            where alerts are sent, each as Prometheus names one (its base URL)
 */
public record RulesConfig(List<String> files, long evaluationIntervalMillis, long evaluationDelayMillis, long resendDelayMillis,
                          long outageToleranceMillis, long reloadCheckMillis, Map<String, String> externalLabels, String externalUrl,
                          List<Alertmanager> alertmanagers) {

  /** An Alertmanager: alerts are posted to {@code url + /api/v2/alerts}. */
  public record Alertmanager(HttpReceiver receiver, Optional<ClientTls> tls) {
  }

  public static RulesConfig from(ConfigView config, long flushMillis) {
    Map<String, String> externalLabels = new TreeMap<>();
    if (config.has("externalLabels")) {
      ConfigView labels = config.section("externalLabels");
      for (String label : labels.keys()) {
        if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
          throw labels.error(label, "is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)");
        }
        externalLabels.put(label, labels.string(label, ""));
      }
    }
    List<Alertmanager> alertmanagers = new ArrayList<>();
    for (ConfigView entry : config.sections("alertmanagers")) {
      HttpReceiver receiver = HttpReceiver.from(entry, "http://alertmanager:9093");
      Optional<ClientTls> tls = ClientTls.from(entry, "tls");
      if (tls.isPresent() && !receiver.https()) {
        throw entry.error("tls", "is for an https:// url");
      }
      alertmanagers.add(new Alertmanager(receiver, tls));
    }
    return new RulesConfig(
      config.strings("files", List.of()),
      config.longValue("evaluationIntervalMs", 15_000, 1_000, 3_600_000),
      config.longValue("evaluationDelayMs", flushMillis + 2_000, 0, 600_000),
      config.longValue("resendDelayMs", 60_000, 1_000, 3_600_000),
      config.longValue("outageToleranceMs", 3_600_000, 0, 86_400_000),
      config.longValue("reloadCheckMs", 5_000, 100, 3_600_000),
      Map.copyOf(externalLabels),
      config.string("externalUrl", ""),
      List.copyOf(alertmanagers));
  }

  public boolean enabled() {
    return !files.isEmpty();
  }
}
