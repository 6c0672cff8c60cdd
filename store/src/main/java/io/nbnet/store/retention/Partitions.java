package io.nbnet.store.retention;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a tier's table is cut by time: one partition per UTC day ({@code pYYYYMMDD}) or per month
 * ({@code pYYYYMM}), each holding the keys below the first millisecond of the next one, and
 * {@code pmax} for anything later (a host whose clock runs ahead). Retention drops whole partitions.
 */
public enum Partitions {
  DAY(DateTimeFormatter.ofPattern("'p'yyyyMMdd")),
  MONTH(DateTimeFormatter.ofPattern("'p'yyyyMM"));

  public static final String CATCH_ALL = "pmax";

  private final DateTimeFormatter name;

  Partitions(DateTimeFormatter name) {
    this.name = name;
  }

  /** The partition clause of a new table: the catch-all alone; the retention manager splits periods off it. */
  public static String catchAllOnly(String column) {
    return " PARTITION BY RANGE (`" + column + "`) (PARTITION " + CATCH_ALL + " VALUES LESS THAN MAXVALUE)";
  }

  /** The first day of the period holding {@code day}. */
  public LocalDate start(LocalDate day) {
    return this == DAY ? day : day.withDayOfMonth(1);
  }

  public LocalDate next(LocalDate periodStart) {
    return this == DAY ? periodStart.plusDays(1) : periodStart.plusMonths(1);
  }

  public String name(LocalDate periodStart) {
    return this == DAY ? periodStart.format(name) : YearMonth.from(periodStart).format(name);
  }

  /** The period a partition holds, by its name; empty for {@code pmax} and names of another kind. */
  public Optional<LocalDate> periodOf(String partitionName) {
    try {
      if (this == DAY) {
        return Optional.of(LocalDate.parse(partitionName, name));
      }
      return Optional.of(YearMonth.parse(partitionName, name).atDay(1));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The first millisecond after the period: the partition's upper bound. */
  public long upperBound(LocalDate periodStart) {
    return next(periodStart).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  public String definition(LocalDate periodStart) {
    return "PARTITION " + name(periodStart) + " VALUES LESS THAN (" + upperBound(periodStart) + ")";
  }

  /** Definitions from {@code first} to the period holding {@code last}, then the catch-all. */
  public List<String> definitions(LocalDate first, LocalDate last) {
    List<String> definitions = new ArrayList<>();
    for (LocalDate period = start(first); !period.isAfter(last); period = next(period)) {
      definitions.add(definition(period));
    }
    definitions.add("PARTITION " + CATCH_ALL + " VALUES LESS THAN MAXVALUE");
    return definitions;
  }
}
