package io.nbnet.store;

import java.util.Locale;

/** Whether a host reports: on time, late, or silent, as the hosts table records it. */
public enum HostStatus {
  REPORTING, LATE, SILENT;

  /** How it is written in the hosts table, the API and on /metrics. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static HostStatus ofLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
