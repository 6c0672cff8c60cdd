package io.nbnet.bench.loadrun;

import java.util.concurrent.atomic.LongAdder;

/** Counts shared by all connections of a run, read once a second for the progress line. */
final class LoadCounters {
  final LongAdder replies = new LongAdder();
  final LongAdder errors = new LongAdder();
}
