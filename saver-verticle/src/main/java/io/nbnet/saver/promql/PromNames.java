package io.nbnet.saver.promql;

import io.nbnet.formats.Tags;
import io.nbnet.promql.Labels;

import java.util.Map;
import java.util.TreeMap;

/**
 * nbnet's series under Prometheus names: metric {@code cpu.user} with tags {@code device=sda} of host
 * {@code web-1} is {@code cpu_user{host="web-1", device="sda"}}. Every character a Prometheus name cannot
 * hold becomes {@code _} (and a leading digit gets one before it); a tag named {@code host} or
 * {@code __name__} becomes {@code exported_host} / {@code exported___name__}, as Prometheus renames a
 * scraped label that collides with its own. Series written with Prometheus's names (remote write) map
 * to themselves.
 */
public final class PromNames {

  public static final String HOST = "host";

  private PromNames() {
  }

  /** A metric name as Prometheus can hold it: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
  public static String metric(String name) {
    return sanitize(name, true);
  }

  /** A label name as Prometheus can hold it: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
  public static String label(String name) {
    String label = sanitize(name, false);
    return label.equals(HOST) || label.equals(Labels.METRIC_NAME) ? "exported_" + label : label;
  }

  /** The labels of a host's series. */
  public static Labels labels(String host, String metric, String tags) {
    Map<String, String> labels = new TreeMap<>();
    if (!tags.isEmpty()) {
      Tags.parse(tags).forEach((name, value) -> labels.put(label(name), value));
    }
    labels.put(Labels.METRIC_NAME, metric(metric));
    labels.put(HOST, host);
    return Labels.of(labels);
  }

  private static String sanitize(String name, boolean colonAllowed) {
    if (name.isEmpty()) {
      return "_";
    }
    StringBuilder out = new StringBuilder(name.length() + 1);
    if (Character.isDigit(name.charAt(0))) {
      out.append('_');
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || colonAllowed && c == ':';
      out.append(allowed ? c : '_');
    }
    return out.toString();
  }
}
