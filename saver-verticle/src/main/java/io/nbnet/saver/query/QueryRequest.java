package io.nbnet.saver.query;

import io.nbnet.formats.SampleLimits;
import io.nbnet.store.RetentionConfig;
import io.nbnet.store.Tier;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code /api/query}: a host's series of one or more metrics (all their tags, or one tag set) from
 * {@code from} to {@code to}, in buckets of {@code step}. The step grows so that no series gets more
 * than {@link #MAX_POINTS} points (and no answer more than {@link StoreQueries}'s limit), is a whole multiple of the tier it reads, and moves to a coarser
 * tier where the finer one's retention does not reach back to {@code from}.
 */
public record QueryRequest(String host, List<String> metrics, Optional<String> tags, long from, long to, long step, Tier tier) {

  public static final int MAX_POINTS = 2_000;
  static final int MAX_METRICS = 64;
  private static final long DAY_MILLIS = 86_400_000;
  private static final long MAX_RANGE_MILLIS = 800 * DAY_MILLIS;
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?");
  private static final Map<String, Long> UNIT_MILLIS = Map.of("ms", 1L, "s", 1_000L, "m", 60_000L, "h", 3_600_000L, "d", DAY_MILLIS);

  /**
   * From the request's parameters ({@code metric} may repeat); times are epoch milliseconds, {@code now}
   * or {@code now-<duration>}, from 0 to the end of the year 9999 (as a sample's timestamp); durations
   * are a number with {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} (milliseconds without).
   * Bounding every time first keeps the range arithmetic from overflowing.
   */
  public static QueryRequest parse(String host, List<String> metrics, String tags, String from, String to, String step, long now,
                                   RetentionConfig retention) {
    if (host == null || host.isEmpty() || host.length() > 255) {
      throw new BadQueryException("host is required (at most 255 characters)");
    }
    if (metrics.isEmpty() || metrics.size() > MAX_METRICS || metrics.stream().anyMatch(m -> m.isEmpty() || m.length() > 128)) {
      throw new BadQueryException("metric is required: 1 to " + MAX_METRICS + " of them, each at most 128 characters");
    }
    if (tags != null && tags.length() > 1024) {
      throw new BadQueryException("tags: at most 1024 characters");
    }
    long start = time("from", from, now - 3_600_000, now);
    long end = time("to", to, now, now);
    if (end <= start) {
      throw new BadQueryException("from must be before to");
    }
    if (end - start > MAX_RANGE_MILLIS) {
      throw new BadQueryException("from .. to spans more than " + MAX_RANGE_MILLIS / DAY_MILLIS + " days");
    }
    long wanted = step == null ? 0 : duration("step", step);
    return planned(host, List.copyOf(metrics), Optional.ofNullable(tags), start, end, wanted, now, retention);
  }

  /** This request with a step of at least {@code minStep}: a coarser tier when the step passes one's resolution. */
  QueryRequest withStepAtLeast(long minStep, long now, RetentionConfig retention) {
    return planned(host, metrics, tags, from, to, Math.max(step, minStep), now, retention);
  }

  private static QueryRequest planned(String host, List<String> metrics, Optional<String> tags, long start, long end, long wanted,
                                      long now, RetentionConfig retention) {
    long stepMillis = Math.max(wanted, ceilDiv(end - start, MAX_POINTS));
    Tier byStep = Tier.forStep(stepMillis);
    Tier byRetention = retention.finestHolding(start, now);
    Tier tier = byStep.compareTo(byRetention) >= 0 ? byStep : byRetention;
    stepMillis = ceilDiv(Math.max(stepMillis, tier.resolutionMillis()), tier.resolutionMillis()) * tier.resolutionMillis();
    // buckets start at multiples of the step, so the rollups' buckets fall into them whole
    long alignedStart = Math.floorDiv(start, stepMillis) * stepMillis;
    return new QueryRequest(host, metrics, tags, alignedStart, end, stepMillis, tier);
  }

  /** Buckets per series at this step. */
  long bucketsPerSeries() {
    return ceilDiv(to - from, step);
  }

  private static long time(String name, String value, long absent, long now) {
    if (value == null || value.isEmpty()) {
      return absent;
    }
    long time;
    if (value.equals("now")) {
      time = now;
    } else if (value.startsWith("now-")) {
      time = now - duration(name, value.substring(4));
    } else {
      try {
        time = Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new BadQueryException(name + ": epoch milliseconds, now or now-<duration> (like now-24h), not \"" + printable(value) + "\"");
      }
    }
    if (time < 0 || time > SampleLimits.MAX_TIMESTAMP_MILLIS) {
      throw new BadQueryException(name + ": a time from 0 (1970) to " + SampleLimits.MAX_TIMESTAMP_MILLIS + " (the end of 9999) in epoch milliseconds, not \""
        + printable(value) + "\"");
    }
    return time;
  }

  private static long duration(String name, String value) {
    Matcher matcher = DURATION.matcher(value);
    if (!matcher.matches()) {
      throw new BadQueryException(name + ": a duration like 10s, 5m, 1h or 7d, not \"" + printable(value) + "\"");
    }
    return Long.parseLong(matcher.group(1)) * UNIT_MILLIS.getOrDefault(matcher.group(2) == null ? "ms" : matcher.group(2), 1L);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** A value echoed in an error: short, and without control characters that could forge log lines. */
  private static String printable(String value) {
    String shortened = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    return shortened.replaceAll("[\\p{Cntrl}\"\\\\]", "?");
  }
}
