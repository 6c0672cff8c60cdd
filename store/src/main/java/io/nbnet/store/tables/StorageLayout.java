package io.nbnet.store.tables;

/**
 * The names of the saver's tables and views, all starting with one prefix ({@code samples_} by
 * default), and the binary NO PAD collation its keys use: {@code x.a } and {@code x.a} are two names,
 * and so are {@code Web1} and {@code web1}.
 *
 * @param collation {@code utf8mb4_nopad_bin} on MariaDB, {@code utf8mb4_0900_bin} on MySQL 8
 */
public record StorageLayout(String prefix, String collation) {

  public static final String MARIADB_COLLATION = "utf8mb4_nopad_bin";
  /** The legacy agent's tables, {@code stat_0} to {@code stat_3} whatever the prefix: old dashboards read them by these names. */
  public static final int LEGACY_TABLES = 4;
  public static final String MYSQL_COLLATION = "utf8mb4_0900_bin";

  public static StorageLayout mariaDb(String prefix) {
    return new StorageLayout(prefix, MARIADB_COLLATION);
  }

  public StorageLayout withCollation(String newCollation) {
    return new StorageLayout(prefix, newCollation);
  }

  /**
   * The options of a saver table. Tables written once and read for months are page-compressed: InnoDB
   * compresses each 16 KB page as it writes it and punches the unused blocks out of the file
   * (MariaDB's {@code PAGE_COMPRESSED}, MySQL's {@code COMPRESSION}). The staging tables are not: they
   * are rewritten all the time and swap partitions, which needs equal options.
   */
  public String tableOptions(boolean compressed) {
    String options = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=" + collation;
    if (!compressed) {
      return options;
    }
    return options + (collation.equals(MYSQL_COLLATION) ? " COMPRESSION='zlib'" : " PAGE_COMPRESSED=1 PAGE_COMPRESSION_LEVEL=9");
  }

  public static String legacyTable(int index) {
    return "stat_" + index;
  }

  /** Hosts and their liveness: one row per host name. */
  public String hosts() {
    return prefix + "hosts";
  }

  /** The series dictionary: one row per (host, metric, tags). */
  public String series() {
    return prefix + "series";
  }

  /** Samples as they arrive, one row each, until their window is compacted. */
  public String recent() {
    return prefix + "recent";
  }

  /** The window being compacted, swapped out of {@link #recent()}. */
  public String compacting() {
    return prefix + "compacting";
  }

  /** The windows that hold compacted data. */
  public String windows() {
    return prefix + "windows";
  }

  /** Raw samples compacted into one block per series and window. */
  public String raw() {
    return prefix + "raw";
  }

  /** The times of each host's samples in each compacted window, which its raw blocks are aligned with. */
  public String rawTimes() {
    return prefix + "raw_times";
  }

  public String rollup5m() {
    return prefix + "rollup_5m";
  }

  public String rollup1h() {
    return prefix + "rollup_1h";
  }

  /** The view of raw samples with human columns; also the name older nbnet versions used. */
  public String rawView() {
    return prefix + "all";
  }

  public String view5m() {
    return prefix + "5m";
  }

  public String view1h() {
    return prefix + "1h";
  }
}
