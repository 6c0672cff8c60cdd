package io.nbnet.saver.liveness;

import io.nbnet.saver.layout.StorageLayout;

/** The hosts table as the liveness check reads and writes it. */
final class LivenessSql {

  private LivenessSql() {
  }

  static String selectHosts(StorageLayout layout) {
    return "SELECT `host_id`, `host`, `last_received`, `interval_ms`, `status`, `status_since` FROM `" + layout.hosts() + "`";
  }

  static String updateStatus(StorageLayout layout) {
    return "UPDATE `" + layout.hosts() + "` SET `status` = ?, `status_since` = ? WHERE `host_id` = ?";
  }
}
