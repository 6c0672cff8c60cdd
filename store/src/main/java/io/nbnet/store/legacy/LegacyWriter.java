package io.nbnet.store.legacy;

import io.micrometer.core.instrument.Counter;
import io.nbnet.formats.legacy.LegacyMessage;
import io.nbnet.store.metrics.StoreMeters;
import io.nbnet.store.tables.StorageLayout;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** Inserts legacy messages into the {@code stat_N} table the legacy rule names. */
public final class LegacyWriter {

  private final Pool pool;
  private final Counter[] rowsInserted = new Counter[StorageLayout.LEGACY_TABLES];

  public LegacyWriter(Pool pool, StoreMeters meters) {
    this.pool = pool;
    for (int table = 0; table < rowsInserted.length; table++) {
      rowsInserted[table] = meters.rows(StorageLayout.legacyTable(table));
    }
  }

  public Future<Void> write(LegacyMessage message) {
    int table = LegacyTableRule.tableIndex(message.host(), StorageLayout.LEGACY_TABLES);
    Tuple row = Tuple.of(message.host(), message.memFree(), message.memUsage(), message.memTotal(),
      message.loadAvg(), message.time(), message.userDefine());
    return pool.preparedQuery(LegacySql.insertLegacy(table)).execute(row)
      .onSuccess(rows -> rowsInserted[table].increment(rows.rowCount() > 0 ? 1 : 0))
      .mapEmpty();
  }
}
