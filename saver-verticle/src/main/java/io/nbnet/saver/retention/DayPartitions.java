package io.nbnet.saver.retention;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The naming and bounds of day partitions: partition {@code pYYYYMMDD} holds the samples of that UTC
 * day, {@code ts < } the first millisecond of the next day; {@code pmax} catches anything later.
 * Samples older than the oldest partition's day land in it and leave with it.
 */
public final class DayPartitions {

  public static final String CATCH_ALL = "pmax";
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'p'yyyyMMdd");

  private DayPartitions() {
  }

  public static String name(LocalDate day) {
    return day.format(NAME);
  }

  /** The partition's upper bound: the first millisecond of the next day. */
  public static long upperBound(LocalDate day) {
    return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** The day of a partition by its name, or null for {@code pmax} and names that are not days. */
  public static LocalDate day(String partitionName) {
    try {
      return LocalDate.parse(partitionName, NAME);
    } catch (RuntimeException e) {
      return null;
    }
  }

  public static String definition(LocalDate day) {
    return "PARTITION " + name(day) + " VALUES LESS THAN (" + upperBound(day) + ")";
  }

  /** The PARTITION BY clause of a new sample table: the catch-all alone, days are split off it later. */
  public static String catchAllOnly() {
    return " PARTITION BY RANGE (`ts`) (PARTITION " + CATCH_ALL + " VALUES LESS THAN MAXVALUE)";
  }

  /** The PARTITION BY clause of a new sample table: {@code first} to {@code last}, then pmax. */
  public static String clause(LocalDate first, LocalDate last) {
    List<String> partitions = new ArrayList<>();
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      partitions.add(definition(day));
    }
    partitions.add("PARTITION " + CATCH_ALL + " VALUES LESS THAN MAXVALUE");
    return " PARTITION BY RANGE (`ts`) (" + String.join(", ", partitions) + ")";
  }
}
