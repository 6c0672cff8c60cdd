package io.nbnet.remotewrite;

/**
 * nbnet's names as Prometheus can hold them, one mapping for every way out (the PromQL API, remote
 * write to other stores): every character a Prometheus name cannot hold becomes {@code _}, a leading
 * digit gets one before it, and a tag named {@code host} or {@code __name__} becomes
 * {@code exported_host} / {@code exported___name__}, as Prometheus renames a scraped label that
 * collides with its own. Names that are Prometheus names already map to themselves.
 */
public final class PromNaming {

  public static final String HOST = "host";
  public static final String METRIC_NAME = "__name__";

  private PromNaming() {
  }

  /** A metric name as Prometheus can hold it: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}; {@code cpu.user} is {@code cpu_user}. */
  public static String metric(String name) {
    return sanitize(name, true);
  }

  /** A tag's name as a label: {@code [a-zA-Z_][a-zA-Z0-9_]*}, {@code host} and {@code __name__} renamed. */
  public static String label(String name) {
    String label = sanitize(name, false);
    return label.equals(HOST) || label.equals(METRIC_NAME) ? "exported_" + label : label;
  }

  private static String sanitize(String name, boolean colonAllowed) {
    if (name.isEmpty()) {
      return "_";
    }
    StringBuilder out = null;
    if (Character.isDigit(name.charAt(0))) {
      out = new StringBuilder(name.length() + 1).append('_');
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || colonAllowed && c == ':';
      if (out == null && !allowed) {
        out = new StringBuilder(name.length()).append(name, 0, i);
      }
      if (out != null) {
        out.append(allowed ? c : '_');
      }
    }
    return out == null ? name : out.toString();
  }
}
