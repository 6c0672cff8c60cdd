package io.nbnet.promql;

import java.util.List;

/** Where the engine reads series: whatever the storage is, it answers one selector at a time. */
public interface SeriesSource {

  /**
   * The series every matcher matches, each with its samples whose time lies in {@code [start, end]}
   * (milliseconds). A series without samples there may be left out. Called on the evaluating thread.
   */
  List<StoredSeries> select(List<Matcher> matchers, long start, long end);
}
