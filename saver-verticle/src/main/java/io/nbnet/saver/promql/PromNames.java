package io.nbnet.saver.promql;

import io.nbnet.formats.Tags;
import io.nbnet.promql.Labels;
import io.nbnet.remotewrite.PromNaming;

import java.util.Map;
import java.util.TreeMap;

/**
 * nbnet's series under Prometheus names ({@link PromNaming}): metric {@code cpu.user} with tags
 * {@code device=sda} of host {@code web-1} is {@code cpu_user{host="web-1", device="sda"}}. Series
 * written with Prometheus's names (remote write) map to themselves.
 */
public final class PromNames {

  /**
   * The host rule results are stored under when their labels name none (a fleet-wide recording rule,
   * an alert without a host): its series carry no {@code host} label, and the host list and liveness
   * leave it out.
   */
  public static final String RULES_HOST = "nbnet-rules";

  private PromNames() {
  }

  /** The labels of a host's series. */
  public static Labels labels(String host, String metric, String tags) {
    Map<String, String> labels = new TreeMap<>();
    if (!tags.isEmpty()) {
      Tags.parse(tags).forEach((name, value) -> labels.put(PromNaming.label(name), value));
    }
    labels.put(Labels.METRIC_NAME, PromNaming.metric(metric));
    if (!host.equals(RULES_HOST)) {
      labels.put(PromNaming.HOST, host);
    }
    return Labels.of(labels);
  }
}
