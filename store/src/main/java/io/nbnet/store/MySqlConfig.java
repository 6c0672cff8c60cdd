package io.nbnet.store;

import io.nbnet.support.config.ConfigView;
import io.vertx.mysqlclient.MySQLConnectOptions;

/**
 * Where the saver's MySQL is and how to use it.
 *
 * @param poolSize        connections in the pool; flushes to different tables run on different connections
 * @param pipeliningLimit statements sent on one ingest connection before their results come back; 1 by
 *                        default, because Vert.x 5.0.7's MySQL codec fails only the first of the statements in
 *                        flight on a connection that is lost, and the others wait for ever (a flush gives up
 *                        at its own deadline); the maintenance and query pools always send one at a time
 * @param responseTimeoutMillis how long ingest waits on a silent MySQL: a write connection that reads nothing
 *                        for this long is closed (freeing its pool slot), a wait for a connection ends, and a
 *                        flush attempt or health probe without an outcome fails (and is retried), so a network
 *                        that silently drops packets, or a server that stopped answering, cannot hold frames
 * @param maintenanceTimeoutMillis the same bound for the maintenance connections (compaction, retention, liveness,
 *                        not the connections that hold their locks, which sit idle by design): long enough
 *                        for the slowest of their statements
 */
public record MySqlConfig(String host, int port, String user, String password, String database,
                          int poolSize, int pipeliningLimit, long responseTimeoutMillis, long maintenanceTimeoutMillis, MySqlTls tls) {

  /** A statement that is slow but answered (a lock wait of up to InnoDB's 50 s default) stays within it. */
  public static final long DEFAULT_RESPONSE_TIMEOUT_MILLIS = 60_000;
  /** Room for the slowest compaction statement on a large fleet (the lock holders' idle connections are not bounded). */
  public static final long DEFAULT_MAINTENANCE_TIMEOUT_MILLIS = 900_000;

  public MySqlConfig(String host, int port, String user, String password, String database, int poolSize, int pipeliningLimit) {
    this(host, port, user, password, database, poolSize, pipeliningLimit, DEFAULT_RESPONSE_TIMEOUT_MILLIS, DEFAULT_MAINTENANCE_TIMEOUT_MILLIS,
      MySqlTls.DISABLED);
  }

  /** Multi-row INSERTs of a few hundred rows are long statements; they must still be cached. */
  private static final int STATEMENT_CACHE_SQL_LIMIT = 64 * 1024;
  private static final int STATEMENT_CACHE_SIZE = 512;

  /** Overrides {@code saver.mysql.password}, so the secret need not sit in a file. */
  public static final String PASSWORD_ENV = "NBNET_MYSQL_PASSWORD";

  public static MySqlConfig from(ConfigView config) {
    return from(config, 4);
  }

  public static MySqlConfig from(ConfigView config, int defaultPoolSize) {
    String host = config.string("host", "127.0.0.1");
    int port = config.integer("port", 3306, 1, 65535);
    String user = config.string("user", "root");
    String password = config.secret("password").orElse("");
    String envPassword = System.getenv(PASSWORD_ENV);
    return new MySqlConfig(host, port, user,
      envPassword != null ? envPassword : password,
      config.string("database", "nbnet", "[A-Za-z0-9_]{1,64}", "a database name of 1-64 letters, digits or underscores"),
      config.integer("poolSize", defaultPoolSize, 1, 256),
      config.integer("pipeliningLimit", 1, 1, 65535),
      config.longValue("responseTimeoutMs", DEFAULT_RESPONSE_TIMEOUT_MILLIS, 1_000, 3_600_000),
      config.longValue("maintenanceTimeoutMs", DEFAULT_MAINTENANCE_TIMEOUT_MILLIS, 1_000, 86_400_000),
      MySqlTls.from(config));
  }

  /**
   * The driver's options for this database ({@code withDatabase}) or for the server alone, for whoever
   * builds a pool of their own (tools, tests); the store's pools are built from the same.
   */
  public MySQLConnectOptions connectOptions(boolean withDatabase) {
    MySQLConnectOptions options = new MySQLConnectOptions()
      .setHost(host)
      .setPort(port)
      .setUser(user)
      .setPassword(password)
      .setCharset("utf8mb4")
      .setCachePreparedStatements(true)
      .setPreparedStatementCacheMaxSize(STATEMENT_CACHE_SIZE)
      .setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT)
      .setPipeliningLimit(pipeliningLimit);
    if (withDatabase) {
      options.setDatabase(database);
    }
    tls.applyTo(options);
    return options;
  }

  /** Without the password: a record's own toString would print it. */
  @Override
  public String toString() {
    return "MySqlConfig[" + user + "@" + host + ":" + port + "/" + database + ", poolSize=" + poolSize
      + ", pipeliningLimit=" + pipeliningLimit + ", responseTimeoutMillis=" + responseTimeoutMillis
      + ", maintenanceTimeoutMillis=" + maintenanceTimeoutMillis + ", tls=" + tls + "]";
  }

  public MySqlConfig withDatabase(String newDatabase) {
    return new MySqlConfig(host, port, user, password, newDatabase, poolSize, pipeliningLimit, responseTimeoutMillis,
      maintenanceTimeoutMillis, tls);
  }

  public MySqlConfig withHost(String newHost) {
    return new MySqlConfig(newHost, port, user, password, database, poolSize, pipeliningLimit, responseTimeoutMillis,
      maintenanceTimeoutMillis, tls);
  }

  public MySqlConfig withPort(int newPort) {
    return new MySqlConfig(host, newPort, user, password, database, poolSize, pipeliningLimit, responseTimeoutMillis,
      maintenanceTimeoutMillis, tls);
  }
}
