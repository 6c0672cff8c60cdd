package io.nbnet.bench.storage;

import io.nbnet.store.MySqlConfig;
import picocli.CommandLine.Option;

/** The MySQL server a storage benchmark writes to (as root; the password from {@value MySqlConfig#PASSWORD_ENV}, if set). */
final class BenchMySqlOptions {

  @Option(names = "--mysql-host", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--mysql-port", defaultValue = "3306")
  int port;

  /** That server's {@code database}. */
  MySqlConfig database(String database) {
    return of(host, port, "root", System.getenv().getOrDefault(MySqlConfig.PASSWORD_ENV, ""), database);
  }

  /** A database of another server, with the pool settings the benchmarks' savers use. */
  static MySqlConfig of(String host, int port, String user, String password, String database) {
    return new MySqlConfig(host, port, user, password, database, 8, 256);
  }
}
