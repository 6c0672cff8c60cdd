package io.nbnet.bench.storage;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The disk a database takes, per table: the blocks allocated to its files (what {@code du} counts,
 * which is what page compression and sparse files change), and InnoDB's own data and index length.
 */
final class DiskUsage {

  /** One table: allocated bytes of its files, and data_length + index_length. */
  record Table(String name, long allocatedBytes, long innodbBytes) {
  }

  private DiskUsage() {
  }

  static Map<String, Table> of(Pool pool, String database) throws Exception {
    String datadir = BenchDatabase.await(pool.query("SELECT @@datadir").execute(), 60).iterator().next().getString(0);
    Map<String, Long> innodb = new TreeMap<>();
    for (Row row : BenchDatabase.await(pool.preparedQuery("SELECT TABLE_NAME, DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES"
      + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'").execute(io.vertx.sqlclient.Tuple.of(database)), 60)) {
      innodb.put(row.getString(0), row.getLong(1));
    }
    Map<String, Long> allocated = allocated(Path.of(datadir, database));
    Map<String, Table> tables = new TreeMap<>();
    innodb.forEach((name, bytes) -> tables.put(name, new Table(name, allocated.getOrDefault(name, -1L), bytes)));
    return tables;
  }

  /** Allocated bytes per table, from its {@code .ibd} files (one per partition); empty when the files cannot be read. */
  private static Map<String, Long> allocated(Path folder) throws IOException, InterruptedException {
    Map<String, Long> bytes = new TreeMap<>();
    if (!Files.isReadable(folder)) {
      return bytes;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(folder)) {
      files = list.filter(file -> file.toString().endsWith(".ibd")).toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString().replace(".ibd", "");
      int partition = name.indexOf("#P#");
      String table = partition >= 0 ? name.substring(0, partition) : name;
      bytes.merge(table, allocatedBytes(file), Long::sum);
    }
    return bytes;
  }

  /** Bytes allocated on disk for a file or a whole folder ({@code du -s -B1}). */
  static long allocatedBytes(Path path) throws IOException, InterruptedException {
    Process du = new ProcessBuilder("du", "-s", "-B1", path.toString()).redirectErrorStream(true).start();
    String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    du.waitFor();
    return Long.parseLong(out.split("\\s+")[0]);
  }
}
