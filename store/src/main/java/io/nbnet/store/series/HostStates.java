package io.nbnet.store.series;

import io.nbnet.store.HostState;
import io.nbnet.store.HostStatus;
import io.nbnet.store.tables.StorageLayout;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/** The hosts table as a whole: each host's times and recorded status, read for the host list and the liveness check. */
public final class HostStates {

  private final Pool pool;
  private final StorageLayout layout;

  public HostStates(Pool pool, StorageLayout layout) {
    this.pool = pool;
    this.layout = layout;
  }

  /** Every host, by name. */
  public static String select(StorageLayout layout) {
    return "SELECT `host`, `status`, `status_since`, `first_received`, `last_received`, `last_ts`, `last_samples`, `interval_ms`"
      + " FROM `" + layout.hosts() + "` ORDER BY `host`";
  }

  /** A row of {@link #select}; a status never recorded counts from when the host was first heard. */
  public static HostState of(Row row) {
    long since = row.getLong("status_since");
    return new HostState(row.getString("host"), HostStatus.ofLabel(row.getString("status")), since > 0 ? since : row.getLong("first_received"),
      row.getLong("first_received"), row.getLong("last_received"), row.getLong("last_ts"), row.getLong("last_samples"),
      row.getLong("interval_ms"));
  }

  public Future<List<HostState>> all() {
    return pool.query(select(layout)).execute().map(rows -> {
      List<HostState> states = new ArrayList<>(rows.size());
      rows.forEach(row -> states.add(of(row)));
      return states;
    });
  }

  public Future<Void> record(List<HostState.Change> changes) {
    if (changes.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> updates = new ArrayList<>(changes.size());
    changes.forEach(change -> updates.add(Tuple.of(change.status().label(), change.since(), change.host())));
    return pool.preparedQuery("UPDATE `" + layout.hosts() + "` SET `status` = ?, `status_since` = ? WHERE `host` = ?")
      .executeBatch(updates).mapEmpty();
  }
}
