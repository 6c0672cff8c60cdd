package io.nbnet.store.compaction;

import io.nbnet.store.tables.StorageLayout;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Each series' newest day with data, kept in the dictionary so that series whose data every tier has
 * dropped can leave it. A series is marked at most once a day for the newest day compacted: the set
 * of series marked that day lives in memory (a bit per series id); late windows of older days mark
 * their series every time (rare, and GREATEST keeps the newest day).
 */
final class SeriesDays {

  private final StorageLayout layout;
  private int day = -1;
  private final BitSet marked = new BitSet();

  SeriesDays(StorageLayout layout) {
    this.layout = layout;
  }

  /** The update for the series not yet marked for {@code windowDay}, if any. */
  Optional<Future<?>> mark(SqlClient connection, int windowDay, List<Integer> series) {
    if (windowDay > day) {
      day = windowDay;
      marked.clear();
    }
    List<Integer> unmarked = windowDay < day ? series : series.stream().filter(id -> !marked.get(id)).toList();
    if (unmarked.isEmpty()) {
      return Optional.empty();
    }
    if (windowDay == day) {
      unmarked.forEach(marked::set);
    }
    Tuple params = Tuple.tuple().addInteger(windowDay);
    unmarked.forEach(params::addInteger);
    return Optional.of(connection.preparedQuery(CompactionSql.markSeriesDay(layout, unmarked.size())).execute(params));
  }
}
