package io.nbnet.mariadb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The MariaDB the tests use: 127.0.0.1:3306 when a server answers there, else one embedded server
 * per JVM (stopped at exit). {@code NBNET_TEST_EMBEDDED_MARIADB=1} forces the embedded one.
 */
public final class TestMariaDb {

  private static MariaDbAddress address;

  private TestMariaDb() {
  }

  public static synchronized MariaDbAddress address() {
    if (address == null) {
      address = locate();
    }
    return address;
  }

  private static MariaDbAddress locate() {
    boolean forceEmbedded = "1".equals(System.getenv("NBNET_TEST_EMBEDDED_MARIADB"));
    if (!forceEmbedded && MariaDbProbe.answers("127.0.0.1", 3306, 1000)) {
      return new MariaDbAddress("127.0.0.1", 3306, "root", "", false);
    }
    Path folder = Path.of(System.getProperty("java.io.tmpdir"), "nbnet-test-mariadb-" + ProcessHandle.current().pid());
    EmbeddedMariaDb db = EmbeddedMariaDb.start(folder, 0, false);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      db.close();
      deleteTree(folder);
    }, "embedded-mariadb-stop"));
    return db.address();
  }

  private static void deleteTree(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder is harmless
    }
  }
}
