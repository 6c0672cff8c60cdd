package io.nbnet.promql;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Queries rewritten for rollups and evaluated over 5-minute buckets of samples answer what the raw
 * query answers over the samples themselves, wherever each range holds whole buckets.
 */
class RollupsTest {

  private static final long BUCKET = 300_000;
  private static final long START = 1_700_000_000_000L / BUCKET * BUCKET;
  private static final long END = START + 3 * 3_600_000;
  private static final Engine RAW = new Engine(Engine.DEFAULT_LOOKBACK_MILLIS, 1_000_000, 60_000);
  private static final Engine ROLLUPS = new Engine(BUCKET, 1_000_000, 60_000);

  /** Two hosts' gauges every 10 s, off the bucket edges; one host silent for 20 minutes. */
  private static final List<StoredSeries> SAMPLES = samples();

  @Test
  @DisplayName("plain selectors and min, max, sum, count, avg and last_over_time agree with the raw answer at bucket-aligned steps")
  void aggregatesOverTimeMatchTheRawAnswer() {
    for (String query : List.of("cpu_user", "min_over_time(cpu_user[1h])", "max_over_time(cpu_user[30m])", "sum_over_time(cpu_user[15m])",
      "count_over_time(cpu_user[1h])", "avg_over_time(cpu_user[1h])", "last_over_time(cpu_user[10m])",
      "sum by (host) (avg_over_time(cpu_user[20m])) * 2", "max_over_time(cpu_user[1h] offset 30m) - min_over_time(cpu_user[1h])")) {
      QueryResult.Matrix raw = RAW.range(raw(), query, START + 3_600_000, END, BUCKET, 10_000);
      QueryResult.Matrix rolled = ROLLUPS.range(rollups(), Rollups.rewrite(query, "5m", BUCKET), START + 3_600_000, END, BUCKET, 10_000);
      assertEquals(raw.series().size(), rolled.series().size(), query);
      assertTrue(raw.series().size() > 0, query);
      for (int s = 0; s < raw.series().size(); s++) {
        QueryResult.Series want = raw.series().get(s);
        QueryResult.Series got = rolled.series().get(s);
        assertEquals(want.metric(), got.metric(), query);
        assertEquals(List.of(box(want.times())), List.of(box(got.times())), query);
        for (int p = 0; p < want.values().length; p++) {
          assertEquals(want.values()[p], got.values()[p], Math.abs(want.values()[p]) * 1e-12, query + " at point " + p);
        }
      }
    }
  }

  @Test
  @DisplayName("what needs the samples themselves is refused naming it; the reserved label cannot be asked for")
  void refusals() {
    assertRefused("rate(cpu_user[1h])", PromqlException.Kind.EXECUTION, "rate() cannot be answered from the 5m rollups");
    assertRefused("quantile_over_time(0.9, cpu_user[1h])", PromqlException.Kind.EXECUTION, "cannot be answered from the 5m rollups");
    assertRefused("max_over_time(cpu_user[1m])", PromqlException.Kind.EXECUTION, "over less than a bucket");
    assertRefused("max_over_time(rate(cpu_user[5m])[1h:])", PromqlException.Kind.EXECUTION, "cannot be answered");
    assertRefused("cpu_user{__rollup__=\"min\"}", PromqlException.Kind.BAD_DATA, "reserved");
    assertEquals("(sum_over_time(cpu_user{__rollup__=\"sum\"}[1h]) / sum_over_time(cpu_user{__rollup__=\"count\"}[1h]))",
      Rollups.rewrite("avg_over_time(cpu_user[1h])", "5m", BUCKET));
  }

  private static void assertRefused(String query, PromqlException.Kind kind, String message) {
    PromqlException refused = assertThrows(PromqlException.class, () -> Rollups.rewrite(query, "5m", BUCKET), query);
    assertEquals(kind, refused.kind(), query);
    assertTrue(refused.getMessage().contains(message), refused.getMessage());
  }

  private static List<StoredSeries> samples() {
    Random random = new Random(7);
    List<StoredSeries> series = new ArrayList<>();
    for (String host : List.of("a", "b")) {
      List<long[]> points = new ArrayList<>();
      for (long ts = START + 3_000; ts <= END; ts += 10_000) {
        if (host.equals("b") && ts > START + 100 * 60_000 && ts < START + 120 * 60_000) {
          continue;
        }
        points.add(new long[] {ts, Double.doubleToLongBits(random.nextInt(10_000) / 100.0)});
      }
      series.add(new StoredSeries(Labels.of("__name__", "cpu_user", "host", host), points.stream().mapToLong(p -> p[0]).toArray(),
        points.stream().mapToDouble(p -> Double.longBitsToDouble(p[1])).toArray()));
    }
    return series;
  }

  private static SeriesSource raw() {
    return (matchers, from, to) -> select(SAMPLES, matchers, from, to);
  }

  /** The samples as a store of 5-minute rollups offers them: each aspect a series, a point at each bucket's last millisecond. */
  private static SeriesSource rollups() {
    return (matchers, from, to) -> {
      Rollups.Aspect aspect = matchers.stream().filter(m -> m.name().equals(Rollups.ASPECT_LABEL)).map(m -> Rollups.Aspect.of(m.value()))
        .findFirst().orElseThrow();
      List<StoredSeries> buckets = new ArrayList<>();
      for (StoredSeries series : SAMPLES) {
        List<Long> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        int i = 0;
        while (i < series.times().length) {
          long bucket = Math.floorDiv(series.times()[i], BUCKET) * BUCKET;
          double min = Double.POSITIVE_INFINITY;
          double max = Double.NEGATIVE_INFINITY;
          double sum = 0;
          double last = 0;
          int count = 0;
          for (; i < series.times().length && series.times()[i] < bucket + BUCKET; i++) {
            double v = series.values()[i];
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            last = v;
            count++;
          }
          times.add(bucket + BUCKET - 1);
          values.add(switch (aspect) {
            case MIN -> min;
            case MAX -> max;
            case SUM -> sum;
            case COUNT -> (double) count;
            case LAST -> last;
          });
        }
        buckets.add(new StoredSeries(series.labels(), times.stream().mapToLong(Long::longValue).toArray(),
          values.stream().mapToDouble(Double::doubleValue).toArray()));
      }
      List<Matcher> labelMatchers = matchers.stream().filter(m -> !m.name().equals(Rollups.ASPECT_LABEL)).toList();
      return select(buckets, labelMatchers, from, to);
    };
  }

  private static List<StoredSeries> select(List<StoredSeries> all, List<Matcher> matchers, long from, long to) {
    List<StoredSeries> selected = new ArrayList<>();
    for (StoredSeries series : all) {
      if (matchers.stream().allMatch(m -> m.matches(series.labels()))) {
        List<Integer> in = new ArrayList<>();
        for (int i = 0; i < series.times().length; i++) {
          if (series.times()[i] >= from && series.times()[i] <= to) {
            in.add(i);
          }
        }
        selected.add(new StoredSeries(series.labels(), in.stream().mapToLong(i -> series.times()[i]).toArray(),
          in.stream().mapToDouble(i -> series.values()[i]).toArray()));
      }
    }
    return selected;
  }

  private static Long[] box(long[] times) {
    return java.util.Arrays.stream(times).boxed().toArray(Long[]::new);
  }
}
