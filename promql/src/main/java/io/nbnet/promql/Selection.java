package io.nbnet.promql;

import java.util.List;

/** What a query reads of one selector: the series its matchers match, their samples in {@code [start, end]} (ms). */
public record Selection(List<Matcher> matchers, long start, long end) {

  /** Equal for equal matchers and times, whichever parse made them. */
  public String key() {
    return matchers + "@" + start + ".." + end;
  }
}
