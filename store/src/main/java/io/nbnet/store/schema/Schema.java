package io.nbnet.store.schema;

import io.nbnet.store.compaction.CompactionSql;
import io.nbnet.store.legacy.LegacySql;
import io.nbnet.store.retention.Partitions;
import io.nbnet.store.series.SeriesSql;
import io.nbnet.store.staging.StagingSql;
import io.nbnet.store.tables.StorageLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Every table and view the saver needs, in order: deploy/create.sql holds exactly these statements
 * for the default configuration (a test keeps the two equal). Time-partitioned tables start with the
 * catch-all partition only; the retention manager splits periods off it.
 */
final class Schema {

  private Schema() {
  }

  static String createDatabase(String database) {
    return "CREATE DATABASE IF NOT EXISTS `" + database + "` CHARACTER SET utf8mb4";
  }

  static List<String> statements(StorageLayout layout) {
    List<String> statements = new ArrayList<>();
    for (int i = 0; i < StorageLayout.LEGACY_TABLES; i++) {
      statements.add(LegacySql.createLegacyTable(i, layout.collation()));
    }
    statements.add(SeriesSql.createHosts(layout));
    statements.add(SeriesSql.createSeries(layout));
    statements.add(StagingSql.createRecent(layout));
    statements.add(StagingSql.createCompacting(layout));
    statements.add(CompactionSql.createWindows(layout));
    statements.add(CompactionSql.createRawTimes(layout, Partitions.catchAllOnly("window_start")));
    statements.add(CompactionSql.createRaw(layout, Partitions.catchAllOnly("window_start")));
    statements.add(CompactionSql.createRollup5m(layout, Partitions.catchAllOnly("hour")));
    statements.add(CompactionSql.createRollup1h(layout, Partitions.catchAllOnly("bucket")));
    statements.add(Views.rawView(layout));
    statements.add(Views.view5m(layout));
    statements.add(Views.view1h(layout));
    return statements;
  }
}
