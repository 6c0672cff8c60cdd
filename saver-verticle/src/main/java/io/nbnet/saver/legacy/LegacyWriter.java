package io.nbnet.saver.legacy;

import io.nbnet.formats.legacy.LegacyMessage;
import io.nbnet.support.metrics.NbnetMeters;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** Inserts legacy messages into the {@code stat_N} table the legacy rule names. */
public final class LegacyWriter {

  private final Pool pool;
  private final String storage;

  /** @param storage the storage's name on the meters ("mysql", or a Kafka shard's "shard-NAME") */
  public LegacyWriter(Pool pool, String storage) {
    this.pool = pool;
    this.storage = storage;
  }

  public Future<Void> write(LegacyMessage message) {
    int table = LegacyTableRule.tableIndex(message.host(), LegacySql.LEGACY_TABLES);
    Tuple row = Tuple.of(message.host(), message.memFree(), message.memUsage(), message.memTotal(),
      message.loadAvg(), message.time(), message.userDefine());
    return pool.preparedQuery(LegacySql.insertLegacy(table)).execute(row)
      .onSuccess(rows -> NbnetMeters.counter("nbnet.saver.rows", "rows inserted", "storage", storage,
        "table", LegacySql.legacyTable(table))
        .increment(rows.rowCount() > 0 ? 1 : 0))
      .mapEmpty();
  }
}
